import { InlineSwitch } from '@grafana/ui';

import { setQuery } from '../../app/route';

/** Hides revoked harvesters and replaced enrolments (`retired=hide` in the page URL). */
export function HideRetiredSwitch({ hidden }: { hidden: boolean }) {
  return (
    <InlineSwitch
      id="hide-retired"
      label="Hide revoked and replaced"
      showLabel
      transparent
      value={hidden}
      onChange={(e) => setQuery({ retired: e.currentTarget.checked ? 'hide' : '' })}
    />
  );
}
