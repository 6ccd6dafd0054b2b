import { lastValueFrom, of } from 'rxjs';
import { type VariableValueOption } from '@grafana/scenes';

import { LatencyThresholdVariable, nearestBound } from './LatencyThresholdVariable';

const bounds = (...values: string[]): VariableValueOption[] => values.map((v) => ({ label: v, value: v }));
const SECONDS = bounds('0.0001', '0.005', '0.1', '0.25', '0.5', '1', '5');
const MILLISECONDS = bounds('0', '5', '10', '100', '250', '500', '750', '1000');

/** The variable with its value after each answer (options) in turn, as refreshes bring them. */
async function after(answers: VariableValueOption[][], start = { value: '0.5' }, prefer?: string) {
  const variable = new LatencyThresholdVariable({ name: 'slo_threshold', query: 'q', ...start, text: start.value });
  if (prefer) {
    variable.prefer(prefer);
  }
  const seen: string[] = [];
  for (const options of answers) {
    jest.spyOn(variable, 'getValueOptions').mockReturnValue(of(options));
    await lastValueFrom(variable.validateAndUpdate());
    seen.push(String(variable.getValue()));
  }
  return seen;
}

describe('LatencyThresholdVariable', () => {
  it('keeps its value through an answer with no bounds (instances not resolved yet), then holds it', async () => {
    // A plain query variable empties itself on the first answer, then takes the first bound, 0.1 ms.
    expect(await after([[], SECONDS])).toEqual(['0.5', '0.5']);
  });

  it('keeps a bound the user chose while it is among the bounds', async () => {
    expect(await after([SECONDS, SECONDS], { value: '0.25' })).toEqual(['0.25', '0.25']);
  });

  it('takes the bound nearest the preferred one, not the first, when its value is not a bound', async () => {
    expect(await after([bounds('0.0001', '0.4', '0.75', '1')])).toEqual(['0.4']);
    // A histogram in milliseconds once the page knows the service's unit.
    expect(await after([MILLISECONDS], { value: '0.5' }, '500')).toEqual(['500']);
  });
});

describe('nearestBound', () => {
  it('is the first option when no option is a number', () => {
    expect(nearestBound(bounds('a', 'b'), 0.5).value).toBe('a');
  });
});
