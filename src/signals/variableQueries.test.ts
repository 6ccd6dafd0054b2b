import { renderContext } from '.';
import { serviceControllerVariableQuery, serviceHandlerVariableQuery, serviceInstanceVariableQuery } from './service';

// The selectors were checked against the demo stack's /api/v1/label/<name>/values?match[]=… when written.
describe('service page variable queries', () => {
  const ctx = renderContext({ profile: 'seed' });

  it('lists the instances of one service from the info gauge', () => {
    expect(serviceInstanceVariableQuery(ctx, 'shop.orders')).toBe(
      'label_values(nestjs_info{name="shop.orders"}, instance)'
    );
  });

  it('escapes the service name and keeps a variable reference for the data source to interpolate', () => {
    expect(serviceInstanceVariableQuery(ctx, 'shop "orders"\\v2')).toBe(
      'label_values(nestjs_info{name="shop \\"orders\\"\\\\v2"}, instance)'
    );
    expect(serviceInstanceVariableQuery(ctx, '$service')).toBe('label_values(nestjs_info{name=~"$service"}, instance)');
  });

  it('lists controllers and handlers from both request histograms of the chosen instances', () => {
    expect(serviceControllerVariableQuery(ctx, '$instance')).toBe(
      'label_values({__name__=~"(nestjs_success_requests_count|nestjs_fail_requests_count)", instance=~"$instance"}, controller)'
    );
    expect(serviceHandlerVariableQuery(ctx, '$instance', '$controller')).toBe(
      'label_values({__name__=~"(nestjs_success_requests_count|nestjs_fail_requests_count)", instance=~"$instance", controller=~"$controller"}, handler)'
    );
  });

  it('uses the metric names of the data source settings', () => {
    const renamed = renderContext({ profile: 'seed', successHistogram: 'api:ok', failHistogram: 'api_fail', info: 'api_info' });
    expect(serviceInstanceVariableQuery(renamed, 'x')).toBe('label_values(api_info{name="x"}, instance)');
    expect(serviceControllerVariableQuery(renamed, 'h:1')).toBe(
      'label_values({__name__=~"(api:ok_count|api_fail_count)", instance="h:1"}, controller)'
    );
  });
});
