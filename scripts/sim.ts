// Run the multi-till simulation (testkit/sim/model.ts) for as many seeds as you like:
//
//   npx tsx scripts/sim.ts --runs 2000 --seed 42          # fast-check runs 2000 schedules from seed 42
//   npx tsx scripts/sim.ts --runs 1 --seed 42 --path 17   # replay one failing run (seed + path from a failure)
//   options: --max-actions N (default 20)  --hq-every N (fresh HQ every N runs, default 150)
//            --no-shrink (report the first failure as found)  --trace (print each action of each run)
//
// Prints a summary, and on failure the seed, the fast-check path and the (shrunk) schedule, and exits 1.
// Every run registers new tills and vouchers, and every new till pulls all of HQ: a fresh HQ every
// --hq-every runs keeps a run's cost flat over thousands of runs.
import fc from 'fast-check';
import { startLiveHq, type LiveHq } from '../testkit/till-harness';
import { NO_STATS, runScenario, scenarioArb, type RunStats, type Scenario } from '../testkit/sim/model';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const runs = Number(arg('runs') ?? 200);
const seed = Number(arg('seed') ?? Date.now() % 2 ** 31);
const path = arg('path');
const maxActions = Number(arg('max-actions') ?? 20);
const hqEvery = Number(arg('hq-every') ?? 150);
const trace = flag('trace');

let hq: LiveHq | null = null;
let runsOnHq = 0;
async function currentHq(): Promise<LiveHq> {
  if (hq && runsOnHq >= hqEvery) {
    await hq.close();
    hq = null;
  }
  if (!hq) {
    hq = await startLiveHq();
    runsOnHq = 0;
  }
  runsOnHq += 1;
  return hq;
}

const totals: RunStats & { runs: number } = { runs: 0, ...NO_STATS };
const started = Date.now();
let lastReport = started;

console.log(`[sim] seed ${seed}, ${runs} runs, ≤ ${maxActions} actions per run${path ? `, path ${path}` : ''}`);
const result = await fc.check(
  fc.asyncProperty(scenarioArb(maxActions), async (scenario: Scenario) => {
    const stats = await runScenario(await currentHq(), scenario, trace ? { trace: (line) => console.log(`  ${((Date.now() - started) / 1000).toFixed(3)} ${line}`) } : {});
    totals.runs += 1;
    for (const k of Object.keys(stats) as (keyof RunStats)[]) totals[k] += stats[k];
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      console.log(`[sim] ${totals.runs} runs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  }),
  { numRuns: runs, seed, ...(path ? { path } : {}), endOnFailure: flag('no-shrink') },
);
const seconds = (Date.now() - started) / 1000;
console.log(`[sim] ${totals.runs} runs in ${seconds.toFixed(1)} s (${((seconds * 1000) / Math.max(1, totals.runs)).toFixed(0)} ms/run): ${JSON.stringify(totals)}`);
if (hq) await (hq as LiveHq).close();
if (result.failed) {
  console.log(`[sim] FAILED — seed ${result.seed}, path ${result.counterexamplePath}`);
  console.log(`[sim] replay: npx tsx scripts/sim.ts --runs ${runs} --seed ${result.seed} --path ${result.counterexamplePath} --trace`);
  console.log(`[sim] counterexample (shrunk ${result.numShrinks} times):\n${JSON.stringify(result.counterexample?.[0], null, 1)}`);
  console.log(`[sim] error: ${(result.errorInstance as Error | undefined)?.stack ?? String(result.errorInstance)}`);
  process.exit(1);
}
console.log('[sim] OK');
process.exit(0);
