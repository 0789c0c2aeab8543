import {
  NumberFieldConfigSettings,
  SelectFieldConfigSettings,
  SelectableValue,
  SliderFieldConfigSettings,
  StandardEditorProps,
  StandardEditorsRegistryItem,
  StringFieldConfigSettings,
  standardEditorsRegistry,
} from '@grafana/data';
import { ColorPicker, Input, MultiSelect, RadioButtonGroup, Select, Slider, Switch, TagsInput } from '@grafana/ui';

// Each editor with the value and settings types Grafana's own editor for that id takes. A choice
// is whatever the panel's options list: its type is the panel's business, not the editor's.
type Choice = unknown;

const TextEditor = ({ value, onChange, item }: StandardEditorProps<string | undefined, StringFieldConfigSettings>) => (
  <Input
    value={value ?? ''}
    placeholder={item.settings?.placeholder}
    aria-label={item.name}
    onChange={(e) => onChange(e.currentTarget.value)}
  />
);

const NumberEditor = ({
  value,
  onChange,
  item,
}: StandardEditorProps<number | undefined, NumberFieldConfigSettings>) => (
  <Input
    type="number"
    value={value ?? ''}
    aria-label={item.name}
    min={item.settings?.min}
    max={item.settings?.max}
    step={item.settings?.step}
    onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))}
  />
);

const SliderEditor = ({
  value,
  onChange,
  item,
}: StandardEditorProps<number | undefined, SliderFieldConfigSettings>) => (
  <Slider
    value={value ?? item.settings?.min ?? 0}
    min={item.settings?.min ?? 0}
    max={item.settings?.max ?? 100}
    step={item.settings?.step ?? 1}
    onChange={(v) => onChange(v)}
  />
);

const BooleanEditor = ({ value, onChange, item }: StandardEditorProps<boolean | undefined>) => (
  <Switch value={Boolean(value)} aria-label={item.name} onChange={(e) => onChange(e.currentTarget.checked)} />
);

const RadioEditor = ({ value, onChange, item }: StandardEditorProps<Choice, SelectFieldConfigSettings<Choice>>) => (
  <RadioButtonGroup value={value} options={item.settings?.options ?? []} onChange={onChange} />
);

const SelectEditor = ({ value, onChange, item }: StandardEditorProps<Choice, SelectFieldConfigSettings<Choice>>) => (
  <Select
    value={value}
    aria-label={item.name}
    options={item.settings?.options ?? []}
    isClearable={item.settings?.isClearable}
    onChange={(choice: SelectableValue<Choice> | null) => onChange(choice?.value)}
  />
);

const MultiSelectEditor = ({
  value,
  onChange,
  item,
}: StandardEditorProps<Choice[] | undefined, SelectFieldConfigSettings<Choice>>) => (
  <MultiSelect
    value={value}
    options={item.settings?.options ?? []}
    onChange={(choices: Array<SelectableValue<Choice>>) => onChange(choices.map((c) => c.value))}
  />
);

const StringsEditor = ({ value, onChange }: StandardEditorProps<string[] | undefined>) => (
  <TagsInput tags={value ?? []} onChange={onChange} />
);

const ColorEditor = ({ value, onChange }: StandardEditorProps<string | undefined>) => (
  <ColorPicker color={value ?? 'green'} onChange={onChange} />
);

const items: StandardEditorsRegistryItem[] = [
  { id: 'text', name: 'Text', editor: TextEditor },
  { id: 'number', name: 'Number', editor: NumberEditor },
  { id: 'slider', name: 'Slider', editor: SliderEditor },
  { id: 'boolean', name: 'Boolean', editor: BooleanEditor },
  { id: 'radio', name: 'Radio', editor: RadioEditor },
  { id: 'select', name: 'Select', editor: SelectEditor },
  { id: 'multiSelect', name: 'Multi select', editor: MultiSelectEditor },
  { id: 'strings', name: 'String array', editor: StringsEditor },
  { id: 'color', name: 'Color', editor: ColorEditor },
  { id: 'unit', name: 'Unit', editor: TextEditor },
];

/** Grafana core fills this registry with its option editors; the panel options builder needs them. */
export function initOptionEditors() {
  standardEditorsRegistry.setInit(() => items);
}
