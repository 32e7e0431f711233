import { expect } from '@open-wc/testing';
import { ApiProblem, apiTimeoutMs, apiTiming, portalFetch } from './api.js';

describe('the API client', () => {
  it('waits 30 s for an answer to begin, plus time to upload the body at 64 kbit/s', () => {
    expect(apiTimeoutMs(0)).to.equal(30_000);
    expect(apiTimeoutMs(5_000_000)).to.equal(30_000 + 625_000);
  });

  it('gives up on a server that never answers, with a sentence for the person (status 0: tried again later)', async () => {
    const before = apiTiming.waitMs;
    apiTiming.waitMs = 300;
    const started = performance.now();
    try {
      await portalFetch('/__test/no-answer', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'test-key-1' },
        body: JSON.stringify({ text: 'hello' }),
      });
      expect.fail('it answered');
    } catch (error) {
      expect(error).to.be.instanceOf(ApiProblem);
      expect((error as ApiProblem).status).to.equal(0);
      expect((error as ApiProblem).code).to.equal('timeout');
      expect((error as ApiProblem).message).to.contain('took too long');
    } finally {
      apiTiming.waitMs = before;
    }
    expect(performance.now() - started).to.be.below(3000);
  });
});
