import React, { useContext } from 'react';
import { AppRootProps } from '@grafana/data';

import { AppSettings } from '../settings';

// Gives scene objects (rendered deep inside SceneApp) access to the app's root props.
export const PluginPropsContext = React.createContext<AppRootProps<AppSettings> | null>(null);

export const usePluginProps = () => useContext(PluginPropsContext);

export const usePluginMeta = () => usePluginProps()?.meta;
