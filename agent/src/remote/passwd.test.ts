import { parsePasswd } from './passwd';

test('finds the account by exact name', () => {
  const text =
    'root:x:0:0:root:/root:/bin/bash\nbob:x:1000:1000:Bob,,,:/home/bob:/usr/bin/zsh\nbobby:x:1001:1001::/home/bobby:/bin/sh\n';
  expect(parsePasswd(text, 'bob')).toEqual({
    name: 'bob',
    uid: 1000,
    gid: 1000,
    home: '/home/bob',
    shell: '/usr/bin/zsh',
  });
  expect(parsePasswd(text, 'bo')).toBeUndefined();
});
