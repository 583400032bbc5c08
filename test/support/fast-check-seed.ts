// One seed for every property test (vitest.config.mts runs this file before each test file), so the test command is
// deterministic: what passed passes again, and a failure fails the same way when run again. FAST_CHECK_SEED explores
// beyond it: another number, or `random` for a fresh seed each run. A failure's report names the seed that replays it.
import fc from 'fast-check';

/** The seed the test command runs with unless FAST_CHECK_SEED says otherwise. */
const TEST_COMMAND_SEED = 20_261_202;

const chosen = process.env.FAST_CHECK_SEED;
if (chosen !== 'random') {
  const seed = chosen === undefined || chosen === '' ? TEST_COMMAND_SEED : Number(chosen);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FAST_CHECK_SEED must be an integer or "random", not ${chosen}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
