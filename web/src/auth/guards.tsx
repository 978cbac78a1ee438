import { Flex, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { canOpen, type MenuKey } from '../domain/access';
import { ForbiddenPage } from '../pages/ResultPages';
import { useMe, useSession } from './session';

export interface LoginRedirectState {
  from?: string;
}

export function FullPageSpin() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '60vh' }}>
      <Spin size="large" />
    </Flex>
  );
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'anonymous') {
    const redirect: LoginRedirectState = { from: `${location.pathname}${location.search}` };
    return <Navigate to="/login" replace state={redirect} />;
  }
  return children;
}

export function RequireScreen({ screen, children }: { screen: MenuKey; children: ReactNode }) {
  const me = useMe();
  return canOpen(me.roles, screen) ? children : <ForbiddenPage />;
}
