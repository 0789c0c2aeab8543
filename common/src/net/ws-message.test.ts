import { messageBytes, messageText } from './ws-message';

test('a message reads the same whichever binaryType ws delivered it with', () => {
  const text = '{"type":"heartbeat","note":"é"}';
  const bytes = Buffer.from(text);
  const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
  const fragments = [bytes.subarray(0, 7), bytes.subarray(7, 20), bytes.subarray(20)];
  for (const data of [bytes, arrayBuffer, fragments]) {
    expect(messageText(data)).toBe(text);
    expect(messageBytes(data).equals(bytes)).toBe(true);
  }
});

test('a Buffer is handed on as it is, not copied', () => {
  const bytes = Buffer.from('abc');
  expect(messageBytes(bytes)).toBe(bytes);
});
