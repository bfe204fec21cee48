/**
 * Run by fast-paths.test.ts in a child `node --import tsx` whose NNLAB_THREADS is bad: loads
 * nnlab the way a user does, then uses it and prints one JSON object of what happened, step by
 * step, so the test sees that the import succeeded and which call reported the value.
 */
const steps: Record<string, string> = {};
function attempt(step: string, run: () => unknown): void {
  try {
    run();
    steps[step] = 'ok';
  } catch (error) {
    steps[step] = error instanceof Error ? error.message : String(error);
  }
}

const nnlab = await import('nnlab').then((module) => module, (error: unknown) => {
  steps.import = error instanceof Error ? error.message : String(error);
  return null;
});
if (nnlab !== null) {
  steps.import = 'ok';
  const { matmul, ones, setGemmThreads, gemmThreads, optim, nn, Generator } = nnlab;
  // float64 never uses threads (plain-JS kernel): unaffected by NNLAB_THREADS.
  attempt('float64 matmul', () => matmul(ones([128, 784], 'float64'), ones([784, 256], 'float64')));
  // An optimiser moves float32 parameters into the wasm memory, or leaves them where they are.
  attempt('an optimiser over float32 parameters', () => new optim.SGD(new nn.Dense(784, 256, { rng: new Generator(1) }).parameters()));
  // Above THREAD_MIN_WORK: the product threads would split.
  attempt('first threaded matmul', () => matmul(ones([128, 784], 'float32'), ones([784, 256], 'float32')));
  attempt('threaded matmul again', () => matmul(ones([128, 784], 'float32'), ones([784, 256], 'float32')));
  attempt('gemmThreads()', () => gemmThreads());
  attempt('setGemmThreads(1), then a threaded matmul', () => {
    setGemmThreads(1);
    return matmul(ones([128, 784], 'float32'), ones([784, 256], 'float32'));
  });
}
process.stdout.write(JSON.stringify(steps));
process.exit(0);
