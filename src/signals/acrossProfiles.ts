/**
 * Signals over several instrumentation profiles at once (a data source set to auto): each profile renders its
 * own expression, and the expressions are joined with `or`. Pure; no profile is special-cased here.
 */
import type { RenderContext } from './types';

/** One render context per profile of the data source: the context itself when it has one profile. */
export function profileContexts(ctx: RenderContext): RenderContext[] {
  if (ctx.profiles.length <= 1) {
    return [ctx];
  }
  return ctx.profiles.map((profile) => ({ ...ctx, profile, profiles: [profile], amongProfiles: true }));
}

/** True when the context renders for several profiles (auto). */
export const severalProfiles = (ctx: RenderContext) => ctx.profiles.length > 1;

/**
 * Each profile's expression, joined with `or` (the expression itself for one profile).
 *
 * Untagged, `or` keeps one of several series with the same labels: exactly the same series read by two profiles
 * that share a metric (the NestJS interceptors' nestjs_info and failed counter, OpenTelemetry's target_info), so
 * nothing is counted twice. Tagged, each profile's series get a `profile` label first, so that `or` keeps all of
 * them where different profiles' results have the same labels (a sum over every service has none): for a sum or
 * a maximum across the profiles, which then drops the tag.
 */
export function overProfiles(
  ctx: RenderContext,
  render: (profileCtx: RenderContext) => string,
  tagged = false
): string {
  const contexts = profileContexts(ctx);
  if (contexts.length === 1) {
    return render(contexts[0]);
  }
  const parts = contexts.map((pc) => {
    const expr = render(pc);
    return tagged ? `label_replace(${expr}, "profile", "${pc.profile.id}", "", "")` : `(${expr})`;
  });
  // Profiles that read the same series (two NestJS interceptors' nestjs_info) render the same part: once is enough.
  return [...new Set(parts)].join(' or ');
}
