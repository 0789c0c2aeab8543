import { recordingFileName } from './recording-file';

test('a downloaded recording is named after its host and session, safe for any file system', () => {
  expect(recordingFileName('web-07', 's_3f9a')).toBe('web-07-s_3f9a.cast');
  expect(recordingFileName(null, 's_3f9a')).toBe('s_3f9a.cast');
  expect(recordingFileName('../../etc/passwd', 's_1')).toBe('etc_passwd-s_1.cast');
  expect(recordingFileName('a/b\\c\u0000d"', '..')).toBe('a_b_c_d_-recording.cast');
  expect(recordingFileName('web-07', 's_3f9a', 'vnc')).toBe('web-07-s_3f9a.rfbrec');
});
