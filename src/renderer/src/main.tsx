// Dev only (empty in builds): starts React Refresh from a module, since the CSP blocks the inline preamble.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ClientProvider } from './client/client-context';
import { createClient } from './client/create-client';
import { startSync } from './state/sync';
import './styles/app.css';

const client = createClient();
startSync(client);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientProvider client={client}>
      <App />
    </ClientProvider>
  </StrictMode>,
);
