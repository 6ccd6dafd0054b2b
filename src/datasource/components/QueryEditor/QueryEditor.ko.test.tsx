import React, { useState } from 'react';
import i18next from 'i18next';
import { CoreApp } from '@grafana/data';
import { initPluginTranslations } from '@grafana/i18n';
import { configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import korean from '../../locales/ko-KR/pulse-prometheus-datasource.json';
import { DEFAULT_QUERY, PulseQuery } from '../../types';
import { QueryEditor } from './QueryEditor';
import { fakeBackend, fakeTemplateSrv, pulseDataSource, range } from './__fixtures__/resources';

jest.setTimeout(90000);
// Re-renders of the whole editor can take over a second in jsdom on two cores.
configure({ asyncUtilTimeout: 10000 });

// The Grafana user's language is Korean: the data source's Korean resources are loaded into its namespace, as
// Grafana does from datasource/plugin.json's "languages" before the module runs.
beforeAll(async () => {
  await initPluginTranslations('pulse-prometheus-datasource');
  i18next.addResourceBundle('ko-KR', 'pulse-prometheus-datasource', korean, true, true);
  await i18next.changeLanguage('ko-KR');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 300 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 300 });
});

afterAll(() => {
  Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
  Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
});

beforeEach(() => {
  fakeBackend();
  fakeTemplateSrv();
});

function Host({ onChange }: { onChange: (q: PulseQuery) => void }) {
  const [query, setQuery] = useState<PulseQuery>({ refId: 'A', ...DEFAULT_QUERY, expr: '' });
  const [datasource] = useState(pulseDataSource);
  return (
    <QueryEditor
      datasource={datasource}
      query={query}
      range={range}
      app={CoreApp.PanelEditor}
      onChange={(q) => {
        onChange(q);
        setQuery(q);
      }}
      onRunQuery={() => undefined}
    />
  );
}

async function choose(user: ReturnType<typeof userEvent.setup>, field: string, option: string | RegExp) {
  // A Combobox's label names its input and its menu; the input is the combobox.
  const input = screen.getAllByLabelText(field).find((element) => element.getAttribute('role') === 'combobox');
  await user.click(input!);
  const listbox = await screen.findByRole('listbox');
  await user.click(await within(listbox).findByRole('option', { name: option }));
}

it('shows the guided flow in Korean and renders the same PromQL', async () => {
  const onChange = jest.fn();
  render(<Host onChange={onChange} />);
  const user = userEvent.setup({ delay: null });

  expect(screen.getByRole('radio', { name: '가이드' })).toBeChecked();
  await choose(user, '분류', '서비스');
  await choose(user, '시그널', /^응답 시간 백분위/);
  expect(
    screen.getByText('요청 처리에 걸리는 시간(p50, p90, p95, p99)을 응답 시간 히스토그램으로 추정합니다.')
  ).toBeInTheDocument();
  await choose(user, '서비스', /^shop\.orders/);
  await user.keyboard('{Escape}');
  await choose(user, '묶는 기준', '컨트롤러');
  await user.keyboard('{Escape}');

  expect(screen.getByLabelText('백분위')).toHaveValue('p95');
  expect(screen.getByLabelText('설명')).toHaveTextContent(
    '성공한 요청의 p95 응답 시간입니다. 그 비율만큼의 요청이 이 시간보다 빨리 끝났습니다. rate 구간의 히스토그램 버킷으로 추정합니다.'
  );
  expect(screen.getByText('값의 단위: 초')).toBeInTheDocument();
  expect(screen.getByText('시리즈 약 4개')).toBeInTheDocument();
  expect(onChange.mock.calls[onChange.mock.calls.length - 1][0].expr).toBe(
    'histogram_quantile(0.95, sum by (le, controller) (rate(nestjs_success_requests_bucket[$__rate_interval]) and on (instance, job) nestjs_info{name="shop.orders"}))'
  );
  expect(screen.getByRole('radiogroup', { name: '편집 방식' })).toBeInTheDocument();
});
