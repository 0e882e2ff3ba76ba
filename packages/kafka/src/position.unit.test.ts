import { decodePosition, encodePosition, positionAfter } from './position.js';

describe('log position tokens', () => {
  it('round-trips the highest next offset per partition', () => {
    const position = positionAfter('events', [
      { partition: 2, offset: '7' },
      { partition: 0, offset: '41' },
      { partition: 2, offset: '9' },
    ]);
    expect(position.partitions).toEqual({ 0: '42', 2: '10' });
    expect(decodePosition(encodePosition(position))).toEqual(position);
  });

  it.each(['', 'not a token!', Buffer.from('v2|t|0:1').toString('base64url'), Buffer.from('v1|t|x:1').toString('base64url')])(
    'rejects %p',
    (token) => {
      expect(decodePosition(token)).toBeUndefined();
    },
  );
});
