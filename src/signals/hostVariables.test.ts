import { hostInstanceVariableQuery } from '.';

// Checked against the demo stack's /api/v1/label/instance/values?match[]=node_uname_info when written.
describe('host page variable queries', () => {
  it('lists hosts from node_exporter’s one-per-host node_uname_info, whatever their job is called', () => {
    expect(hostInstanceVariableQuery()).toBe('label_values(node_uname_info, instance)');
  });
});
