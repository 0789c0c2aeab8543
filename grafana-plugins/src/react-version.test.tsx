import { version } from 'react';
import { version as domVersion } from 'react-dom';

declare const EXPECTED_REACT_MAJOR: string;

// Guards the React 19 run (jest.react19.config.js): the components must really render on the
// React this run is for, not silently on the workspace's React 18.
test('the components are tested on the React this run is for', () => {
  expect(version.split('.')[0]).toBe(EXPECTED_REACT_MAJOR);
  expect(domVersion).toBe(version);
});
