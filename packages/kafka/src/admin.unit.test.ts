import { whilePropagating } from './admin.js';

const kafkaError = (type: string) => Object.assign(new Error(type), { type });

describe('whilePropagating (a topic created a moment ago)', () => {
  it("retries kafkajs's NOT_LEADER_FOR_PARTITION and unknown-topic errors until the call answers", async () => {
    const thrown = ['NOT_LEADER_FOR_PARTITION', 'UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE'];
    let calls = 0;
    const value = await whilePropagating('topic t', 5_000, () => {
      const type = thrown[calls++];
      return type === undefined ? Promise.resolve('offsets') : Promise.reject(kafkaError(type));
    });
    expect(value).toBe('offsets');
    expect(calls).toBe(4);
  });

  it('retries while the call answers undefined (partitions without a leader)', async () => {
    let calls = 0;
    await expect(whilePropagating('topic t', 5_000, () => Promise.resolve(++calls < 3 ? undefined : calls))).resolves.toBe(3);
  });

  it('throws any other error at once', async () => {
    let calls = 0;
    await expect(
      whilePropagating('topic t', 5_000, () => {
        calls++;
        return Promise.reject(kafkaError('TOPIC_AUTHORIZATION_FAILED'));
      }),
    ).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
    expect(calls).toBe(1);
  });

  it('gives up after its deadline, naming what it waited for and the last error', async () => {
    await expect(whilePropagating('topic t', 100, () => Promise.reject(kafkaError('NOT_LEADER_FOR_PARTITION')))).rejects.toThrow(
      'topic t not ready after 100 ms (NOT_LEADER_FOR_PARTITION)',
    );
  });
});
