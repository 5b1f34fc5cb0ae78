// Replaced at build time would be nicer; reading package.json at run time breaks once bundled.
export const version = '0.1.0';
