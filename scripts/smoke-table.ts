// `npm run smoke`: the Markdown report (to paste into a note): one row per subject and scenario, a summary per
// scenario, then every disagreement and alarm spelled out.
import type { App, Subject } from './smoke-subjects.js'
import type { AlarmScan, ModuleVerdict } from './smoke-verdicts.js'
import type { Timed } from './smoke-world.js'

export interface Scenario {
  temp: 'cold' | 'warm'
  silentFirst: boolean
  relay: boolean
}

export interface ScenarioResult {
  scenario: Scenario
  stepMs: number
  /** How the step ended: `passed`, `failed (exit 1)` or `killed`. */
  step: string
  verdicts: Map<string, ModuleVerdict>
  alarms: AlarmScan
  /** Why false alarms are not judged for this step (killed before it reported; real proxy unhealthy for bare go). */
  alarmsUnjudged?: string
}

/** Bare go's verdicts per app for the cold and the warm pass. */
export type BareResults = Record<Scenario['temp'], Map<string, Timed>>

export const scenarioName = (s: Scenario): string =>
  `${s.temp} · ${s.silentFirst ? 'silent-first' : 'alone'} · relay ${s.relay ? 'on' : 'off'}`
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
const esc = (c: string): string => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const table = (head: string[], rows: string[][]): string =>
  [head, head.map(() => '---'), ...rows].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n')

export const agrees = (r: ScenarioResult, bare: BareResults, app: App): boolean =>
  r.verdicts.get(app.rel)?.verdict === bare[r.scenario.temp].get(app.rel)?.verdict
export const falseAlarmCount = (r: ScenarioResult): number => (r.alarmsUnjudged ? 0 : r.alarms.falseAlarms.length)
const alarmCell = (r: ScenarioResult): string =>
  r.alarmsUnjudged ? `n/a (${r.alarmsUnjudged})` : String(r.alarms.falseAlarms.length)

export function renderSubjects(subjects: Subject[]): string {
  const rows = subjects.map((s) => [`\`${s.module}@${s.version}\``, s.shape, `\`${s.pkg}\``, s.drift])
  return table(['subject (module@version)', 'shape', 'imported package', 'drifted app'], rows)
}

/** One row per scenario and subject; verdict cells are "tidy app / drifted app". */
export function renderDetail(subjects: Subject[], apps: App[], results: ScenarioResult[], bare: BareResults): string {
  const rows: string[][] = []
  for (const r of results) {
    for (const s of subjects) {
      const pair = apps.filter((a) => a.subject === s)
      const action = pair.map((a) => r.verdicts.get(a.rel)?.verdict ?? '—').join(' / ')
      const bareTimed = pair.map((a) => bare[r.scenario.temp].get(a.rel))
      const bareText = bareTimed.map((t) => t?.verdict ?? '—').join(' / ')
      const bareMs = bareTimed.reduce((sum, t) => sum + (t?.ms ?? 0), 0)
      const ok = pair.every((a) => agrees(r, bare, a))
      rows.push([
        `\`${s.module}@${s.version}\``,
        scenarioName(r.scenario),
        action,
        bareText,
        secs(r.stepMs),
        secs(bareMs),
        ok ? 'yes' : '**NO**',
        alarmCell(r)
      ])
    }
  }
  const head = [
    'subject',
    'scenario',
    'action (tidy / drifted)',
    'bare go (tidy / drifted)',
    'action time (whole step)',
    'bare time (both apps)',
    'agree?',
    'false alarms (step)'
  ]
  return table(head, rows)
}

export function renderScenarios(apps: App[], results: ScenarioResult[], bare: BareResults): string {
  const rows = results.map((r) => {
    const bareMs = apps.reduce((sum, a) => sum + (bare[r.scenario.temp].get(a.rel)?.ms ?? 0), 0)
    const agreed = apps.filter((a) => agrees(r, bare, a)).length
    return [
      scenarioName(r.scenario),
      r.step,
      secs(r.stepMs),
      secs(bareMs),
      `${agreed}/${apps.length}${agreed === apps.length ? '' : ' **disagree**'}`,
      alarmCell(r),
      String(r.alarms.expected.length),
      String(r.alarms.other.length)
    ]
  })
  const head = [
    'scenario',
    'step',
    'action time',
    'bare go time (all apps)',
    'verdicts agree',
    'false alarms',
    'silent-proxy warnings (expected)',
    'other warnings'
  ]
  return table(head, rows)
}

/** Every disagreement, every distinct alarm text (with the scenarios that showed it), and harness self-checks. */
export function renderFindings(apps: App[], results: ScenarioResult[], bare: BareResults): string {
  const out: string[] = []
  const dis = results.flatMap((r) =>
    apps
      .filter((a) => !agrees(r, bare, a))
      .map((a) => {
        const v = r.verdicts.get(a.rel)
        const b = bare[r.scenario.temp].get(a.rel)
        const fmt = (x: { verdict: string; detail: string } | undefined): string =>
          x ? `${x.verdict}${x.detail ? ` (${x.detail})` : ''}` : '—'
        return `- ${scenarioName(r.scenario)}, \`${a.rel}\`: action ${fmt(v)}; bare go ${fmt(b)}`
      })
  )
  out.push(`### Disagreements (${dis.length})`, ...(dis.length ? dis : ['none']))
  for (const [title, pick] of [
    ['False alarms', (r: ScenarioResult) => (r.alarmsUnjudged ? [] : r.alarms.falseAlarms)],
    ['Warnings about the silent proxy (expected)', (r: ScenarioResult) => r.alarms.expected],
    ['Other warnings (not judged)', (r: ScenarioResult) => r.alarms.other]
  ] as const) {
    const seen = new Map<string, string[]>()
    for (const r of results) for (const t of pick(r)) seen.set(t, [...(seen.get(t) ?? []), scenarioName(r.scenario)])
    const lines = [...seen].map(([t, sc]) => `- ${t.slice(0, 400)}  \n  _in: ${sc.join('; ')}_`)
    out.push('', `### ${title} (${seen.size} distinct)`, ...(lines.length ? lines : ['none']))
  }
  const wrong = apps.flatMap((a) =>
    (['cold', 'warm'] as const)
      .filter((t) => bare[t].get(a.rel)?.verdict !== a.expected)
      .map(
        (t) => `- ${t}: bare go says ${bare[t].get(a.rel)?.verdict} for \`${a.rel}\` (generated to be ${a.expected})`
      )
  )
  out.push(
    '',
    `### Harness self-check: bare go on the generated apps (${wrong.length} unexpected)`,
    ...(wrong.length ? wrong : ['every tidy app is tidy and every drifted app drifts'])
  )
  return out.join('\n')
}
