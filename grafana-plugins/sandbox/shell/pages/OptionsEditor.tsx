import { PanelOptionsEditorBuilder, PanelPlugin } from '@grafana/data';
import { Field } from '@grafana/ui';
import { get, set } from 'lodash';

interface Props {
  plugin: PanelPlugin;
  options: Record<string, unknown>;
  onChange: (options: Record<string, unknown>) => void;
}

/** The panel editor's Options pane: the plugin's own option items with the registry's editors. */
export function OptionsEditor({ plugin, options, onChange }: Props) {
  const builder = new PanelOptionsEditorBuilder<Record<string, unknown>>();
  plugin.getPanelOptionsSupplier()(builder, { data: [], options });
  const items = builder.getItems().filter((item) => !item.showIf || item.showIf(options, []));
  return (
    <div data-testid="panel-options">
      {items.map((item) => {
        const Editor = item.editor;
        return (
          <Field key={item.id} label={item.name} description={item.description} data-testid={`option-${item.path}`}>
            <Editor
              value={get(options, item.path)}
              item={item}
              context={{ data: [], options }}
              onChange={(value) => {
                const next = structuredClone(options);
                set(next, item.path, value);
                onChange(next);
              }}
            />
          </Field>
        );
      })}
    </div>
  );
}
