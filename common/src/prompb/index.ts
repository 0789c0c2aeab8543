// The Prometheus remote-storage codec: snappy block compression and the v1 protobuf
// messages of remote_write and remote_read. See common/README.md for the contract.

export * from './types';
export { encodeWriteRequest, decodeWriteRequest } from './write';
export { encodeReadRequest, decodeReadRequest, encodeReadResponse, decodeReadResponse } from './read';
export { snappyCompress, snappyUncompress, snappyUncompressedLength, SnappyError } from './snappy';
export { ProtoError, ProtoReader, ProtoWriter } from './wire';
export { STALE_NAN_LE, STALE_NAN_BE, isStaleMarkerAt } from './stale';
