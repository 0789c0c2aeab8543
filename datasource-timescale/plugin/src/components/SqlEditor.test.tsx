import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { SqlEditor } from './SqlEditor';

test('typing stays local until blur; a query changed from outside replaces the text shown', async () => {
  const user = userEvent.setup();
  const onChange = jest.fn();
  const editor = (sql: string) => <SqlEditor sql={sql} onChange={onChange} onRunQuery={() => undefined} />;
  const view = render(editor('SELECT 1'));
  const box = screen.getByRole('textbox', { name: 'SQL' });

  await user.type(box, ' + 1');
  view.rerender(editor('SELECT 1'));
  expect(box).toHaveValue('SELECT 1 + 1');
  expect(onChange).not.toHaveBeenCalled();

  view.rerender(editor('SELECT 2'));
  expect(box).toHaveValue('SELECT 2');
});
