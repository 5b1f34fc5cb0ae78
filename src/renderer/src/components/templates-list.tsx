import type { Template } from '../../../shared/model';
import { joinShellWords } from '../../../shared/shell-words';

export function TemplatesList({ templates }: { templates: Template[] }) {
  return (
    <div className="card table-card">
      <table className="table" data-testid="templates-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Image</th>
            <th>Command</th>
            <th className="col-num">Env</th>
          </tr>
        </thead>
        <tbody>
          {templates.map((t) => {
            const envCount = Object.keys(t.env).length;
            return (
              <tr key={t.id} data-template-id={t.id} data-testid="template-row">
                <td className="cell-strong" data-testid="template-row-name">
                  {t.name}
                </td>
                <td className="mono" data-testid="template-row-image">
                  {t.image}
                </td>
                <td className="mono cell-command" data-testid="template-row-command">
                  {t.command.length > 0 ? joinShellWords(t.command) : <span className="muted">image default</span>}
                </td>
                <td className="col-num" data-testid="template-row-env" title={envCount ? Object.keys(t.env).join(', ') : undefined}>
                  {envCount}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
