import {
  SelectableValue,
  StandardEditorProps,
  StandardEditorsRegistryItem,
  standardEditorsRegistry,
} from '@grafana/data';
import { ColorPicker, Input, MultiSelect, RadioButtonGroup, Select, Slider, Switch, TagsInput } from '@grafana/ui';

type Props = StandardEditorProps<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TextEditor = ({ value, onChange, item }: Props) => (
  <Input
    value={value ?? ''}
    placeholder={item.settings?.placeholder}
    aria-label={item.name}
    onChange={(e) => onChange(e.currentTarget.value)}
  />
);

const NumberEditor = ({ value, onChange, item }: Props) => (
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

const SliderEditor = ({ value, onChange, item }: Props) => (
  <Slider
    value={value ?? item.settings?.min ?? 0}
    min={item.settings?.min ?? 0}
    max={item.settings?.max ?? 100}
    step={item.settings?.step ?? 1}
    onChange={(v) => onChange(v)}
  />
);

const BooleanEditor = ({ value, onChange, item }: Props) => (
  <Switch value={Boolean(value)} aria-label={item.name} onChange={(e) => onChange(e.currentTarget.checked)} />
);

const RadioEditor = ({ value, onChange, item }: Props) => (
  <RadioButtonGroup value={value} options={item.settings?.options ?? []} onChange={onChange} />
);

const SelectEditor = ({ value, onChange, item }: Props) => (
  <Select
    value={value}
    aria-label={item.name}
    options={item.settings?.options ?? []}
    isClearable={item.settings?.isClearable}
    onChange={(choice: SelectableValue) => onChange(choice?.value)}
  />
);

const MultiSelectEditor = ({ value, onChange, item }: Props) => (
  <MultiSelect
    value={value}
    options={item.settings?.options ?? []}
    onChange={(choices: Array<SelectableValue>) => onChange(choices.map((c) => c.value))}
  />
);

const StringsEditor = ({ value, onChange }: Props) => <TagsInput tags={value ?? []} onChange={onChange} />;

const ColorEditor = ({ value, onChange }: Props) => <ColorPicker color={value ?? 'green'} onChange={onChange} />;

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
