import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { LoadingState, getDefaultTimeRange } from '@grafana/data';
import { EmbeddedScene, SceneDataNode, SceneFlexItem, SceneFlexLayout, SceneTimeRange } from '@grafana/scenes';

import { exploreAction, PulseExploreButton } from './explore';
import { ADMIN, serveUnder, signInWith, VIEWER } from './testing/grafana';

// scenes builds the Explore URL from the panel's data (and its data sources); what the button does with it is
// what is tested here.
jest.mock('@grafana/scenes', () => ({
  ...jest.requireActual('@grafana/scenes'),
  getExploreURL: jest.fn(async () => '/explore?left=%7B%22datasource%22%3A%22pulse-a%22%7D'),
}));

function renderButton() {
  const button = exploreAction();
  const timeRange = getDefaultTimeRange();
  const scene = new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    $data: new SceneDataNode({
      data: {
        state: LoadingState.Done,
        series: [],
        timeRange,
        request: { targets: [{ refId: 'A', datasource: { uid: 'pulse-a' } }] } as never,
      },
    }),
    body: new SceneFlexLayout({ children: [new SceneFlexItem({ body: button })] }),
  });
  scene.activate();
  render(<button.Component model={button} />);
  return button;
}

describe('the panels’ Explore action', () => {
  afterEach(() => serveUnder(''));

  it('is scenes’ Explore button', () => {
    expect(exploreAction()).toBeInstanceOf(PulseExploreButton);
  });

  it('links to Explore under the sub-path Grafana is served under, so that it opens in a new tab too', async () => {
    signInWith(ADMIN);
    serveUnder('/grafana');
    renderButton();
    expect(await screen.findByRole('link', { name: 'Explore' })).toHaveAttribute(
      'href',
      '/grafana/explore?left=%7B%22datasource%22%3A%22pulse-a%22%7D'
    );
  });

  it('links to /explore when Grafana is at the root', async () => {
    signInWith(ADMIN);
    renderButton();
    expect(await screen.findByRole('link', { name: 'Explore' })).toHaveAttribute(
      'href',
      '/explore?left=%7B%22datasource%22%3A%22pulse-a%22%7D'
    );
  });

  it('is not offered to a user who may not use Explore (a Viewer)', async () => {
    signInWith(VIEWER);
    renderButton();
    // Give the URL a chance to arrive: the button must stay away all the same.
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Explore' })).not.toBeInTheDocument());
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });
});
