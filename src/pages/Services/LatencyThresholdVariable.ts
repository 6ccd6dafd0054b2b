import { type MultiValueVariableState, QueryVariable, type VariableValueOption } from '@grafana/scenes';

type QueryVariableState = QueryVariable['state'];

/**
 * The latency objective's threshold: one of the bucket bounds the service's histogram has. Unlike a plain query
 * variable it keeps its value while the bounds are still unknown (an answer for instances not yet resolved has
 * none, and a plain variable would empty itself, then take the first bound, 0.1 ms, once they arrive), and when the
 * value is not among the bounds it takes the bound nearest the preferred one (0.5 s in the histogram's unit) instead
 * of the first. A value chosen by the user or read from the URL is among the bounds and stays.
 */
export class LatencyThresholdVariable extends QueryVariable {
  /** The bound to fall back on, as stored in the histogram (`0.5`, or `500` for one in milliseconds). */
  private preferred: string;

  constructor(state: Partial<QueryVariableState> & { value: string }) {
    super(state);
    this.preferred = state.value;
  }

  /** Another preferred bound (the service's histogram turned out to be in another unit). */
  prefer(value: string) {
    this.preferred = value;
  }

  protected interceptStateUpdateAfterValidation(update: Partial<MultiValueVariableState>): void {
    super.interceptStateUpdateAfterValidation(update);
    const options = update.options ?? [];
    // Kept: a bound of the options, or the URL's value on the first validation.
    if (update.value === this.state.value || options.some((o) => o.value === this.state.value)) {
      return;
    }
    if (options.length === 0) {
      update.value = this.state.value;
      update.text = this.state.text;
      return;
    }
    const nearest = nearestBound(options, Number(this.preferred));
    update.value = nearest.value;
    update.text = nearest.label;
  }
}

/** The option whose bound is nearest the wanted one (the first when none is a number). */
export function nearestBound(options: VariableValueOption[], wanted: number): VariableValueOption {
  let best = options[0];
  let distance = Infinity;
  for (const option of options) {
    const d = Math.abs(Number(option.value) - wanted);
    if (d < distance) {
      best = option;
      distance = d;
    }
  }
  return best;
}
