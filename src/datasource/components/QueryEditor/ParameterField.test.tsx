import React from 'react';
import { render, screen } from '@testing-library/react';

import { getSignal } from '../../../signals';
import type { SignalParameter } from '../../../signals/types';
import { ParameterField, type ParameterFieldProps } from './GuidedMode';
import { catalog } from './__fixtures__/resources';

// The catalog's single-value parameters are all required today; these tests give a real signal's host
// parameter the shapes a signal may declare.
const cpuBusy = getSignal('host.cpu.busy')!;
const host = cpuBusy.parameters.find((p) => p.name === 'host')!;

function setup(parameter: SignalParameter, value: string, refId = 'A') {
  const props: ParameterFieldProps = {
    refId,
    signal: { ...cpuBusy, parameters: [parameter] },
    parameter,
    params: { [parameter.name]: value },
    catalog,
    loading: false,
    variables: [],
    unknown: false,
    onChange: jest.fn(),
  };
  render(<ParameterField {...props} />);
}

describe('ParameterField, one value', () => {
  it('offers clearing an optional parameter back to "any"', () => {
    setup({ ...host, multi: false, required: false }, 'localhost:9100');
    expect(screen.getByRole('combobox', { name: 'Host' })).toHaveValue('web-1');
    // Jest's Icon stand-in keeps only the icon's name (and none of its handlers): the clear control is `times`.
    expect(screen.getByTestId('times')).toBeInTheDocument();
  });

  it('offers no clearing for a required parameter or one with a default', () => {
    setup({ ...host, multi: false, required: true }, 'localhost:9100');
    setup({ ...host, multi: false, required: false, default: 'localhost:9100' }, 'localhost:9100', 'B');
    expect(screen.getAllByRole('combobox', { name: 'Host' })).toHaveLength(2);
    expect(screen.queryByTestId('times')).not.toBeInTheDocument();
  });
});
