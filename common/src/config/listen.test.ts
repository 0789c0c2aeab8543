import { parseListenAddress } from './listen';

test('listen addresses in the forms Prometheus tools take', () => {
  expect(parseListenAddress(':9100')).toEqual({ host: undefined, port: 9100 });
  expect(parseListenAddress('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
  expect(parseListenAddress('[::1]:9201')).toEqual({ host: '::1', port: 9201 });
  expect(() => parseListenAddress('9100')).toThrow(/--web.listen-address "9100" is not host:port/);
  expect(() => parseListenAddress(':99999')).toThrow(/not host:port/);
  expect(() => parseListenAddress('::1:9100')).toThrow(/not host:port/);
});
