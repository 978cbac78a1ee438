import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  ContactsOutlined,
  DashboardOutlined,
  DownOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  FileSearchOutlined,
  FundProjectionScreenOutlined,
  HistoryOutlined,
  HomeOutlined,
  KeyOutlined,
  LinkOutlined,
  LogoutOutlined,
  NodeExpandOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SlidersOutlined,
  SolutionOutlined,
  StopOutlined,
  SwapOutlined,
  SyncOutlined,
  TeamOutlined,
  UsergroupDeleteOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Dropdown, Flex, Layout, Menu, type MenuProps, Space, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { FullPageSpin } from '../auth/guards';
import { useMe, useSession } from '../auth/session';
import { ChangePasswordModal } from '../components/ChangePasswordModal';
import { LanguageToggle } from '../components/LanguageToggle';
import { RoleTags } from '../components/RoleTags';
import { canEditCalendar, canOpen, canSubmitCases, type MenuKey } from '../domain/access';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';

const { Header, Sider, Content } = Layout;

// The bell needs a request before it can show anything; loading it apart keeps the first chunk smaller.
const NoticeBell = lazy(() => import('../components/NoticeBell').then((m) => ({ default: m.NoticeBell })));

interface MenuEntry {
  key: MenuKey;
  path: string;
  icon: ReactNode;
  label: MessageKey;
}

const MENU: readonly MenuEntry[] = [
  { key: 'home', path: '/', icon: <HomeOutlined />, label: 'menu.home' },
  { key: 'my-data', path: '/data', icon: <CloudUploadOutlined />, label: 'menu.myData' },
  { key: 'cases', path: '/cases', icon: <SolutionOutlined />, label: 'menu.cases' },
  {
    key: 'case-dashboard',
    path: '/cases/dashboard',
    icon: <FundProjectionScreenOutlined />,
    label: 'menu.caseDashboard',
  },
  { key: 'statistics', path: '/statistics', icon: <BarChartOutlined />, label: 'menu.statistics' },
  { key: 'roster', path: '/roster', icon: <ContactsOutlined />, label: 'menu.roster' },
  { key: 'rechecks', path: '/rechecks', icon: <SyncOutlined />, label: 'menu.rechecks' },
  { key: 'recheck-alerts', path: '/recheck-alerts', icon: <AlertOutlined />, label: 'menu.recheckAlerts' },
  {
    key: 'recheck-reports',
    path: '/recheck-reports',
    icon: <FileDoneOutlined />,
    label: 'menu.recheckReports',
  },
  { key: 'assessments', path: '/assessments', icon: <FileSearchOutlined />, label: 'menu.assessments' },
  { key: 'escalations', path: '/escalations', icon: <NodeExpandOutlined />, label: 'menu.escalations' },
  { key: 'dishonesty', path: '/dishonesty', icon: <StopOutlined />, label: 'menu.dishonesty' },
  { key: 'exports', path: '/exports', icon: <AuditOutlined />, label: 'menu.exports' },
  { key: 'webhooks', path: '/webhooks', icon: <ApiOutlined />, label: 'menu.webhooks' },
  { key: 'data-status', path: '/data/status', icon: <ScheduleOutlined />, label: 'menu.dataStatus' },
  { key: 'data-quality', path: '/data/quality', icon: <DashboardOutlined />, label: 'menu.dataQuality' },
  { key: 'batches', path: '/data/batches', icon: <HistoryOutlined />, label: 'menu.batches' },
  {
    key: 'policy-profiles',
    path: '/policy-profiles',
    icon: <SlidersOutlined />,
    label: 'menu.policyProfiles',
  },
  { key: 'calendar', path: '/calendar', icon: <CalendarOutlined />, label: 'menu.calendar' },
  {
    key: 'organisations',
    path: '/admin/organisations',
    icon: <ApartmentOutlined />,
    label: 'menu.organisations',
  },
  { key: 'users', path: '/admin/users', icon: <TeamOutlined />, label: 'menu.users' },
  { key: 'sessions', path: '/admin/sessions', icon: <UsergroupDeleteOutlined />, label: 'menu.sessions' },
  { key: 'api-keys', path: '/admin/api-keys', icon: <ApiOutlined />, label: 'menu.apiKeys' },
  {
    key: 'delivery-rules',
    path: '/admin/delivery-rules',
    icon: <FieldTimeOutlined />,
    label: 'menu.deliveryRules',
  },
  { key: 'retention', path: '/admin/retention', icon: <FieldTimeOutlined />, label: 'menu.retention' },
  { key: 'jobs', path: '/admin/jobs', icon: <ScheduleOutlined />, label: 'menu.jobs' },
  {
    key: 'query-interfaces',
    path: '/query-interfaces',
    icon: <LinkOutlined />,
    label: 'menu.queryInterfaces',
  },
  {
    key: 'offline-exchange',
    path: '/offline-exchanges',
    icon: <SwapOutlined />,
    label: 'menu.offlineExchange',
  },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, label: 'menu.audit' },
];

/** The menu entry whose path is the longest prefix of the location (`/data/batches` is not 我的数据). */
function selectedKey(pathname: string): MenuKey | undefined {
  if (pathname === '/') return 'home';
  const matches = MENU.filter(
    (entry) => entry.path !== '/' && (pathname === entry.path || pathname.startsWith(`${entry.path}/`)),
  );
  matches.sort((a, b) => b.path.length - a.path.length);
  return matches[0]?.key;
}

export function AppLayout() {
  const me = useMe();
  const { signOut } = useSession();
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const notifyError = useNotifyError();
  const [passwordOpen, setPasswordOpen] = useState(false);

  const menuItems: MenuProps['items'] = MENU.filter((entry) => canOpen(me.roles, entry.key)).map((entry) => ({
    key: entry.key,
    icon: entry.icon,
    label:
      entry.key === 'calendar' && canEditCalendar(me.roles)
        ? t('menu.calendarAdmin')
        : entry.key === 'cases' && canSubmitCases(me.roles)
          ? t('menu.myCases')
          : t(entry.label),
    'data-testid': `menu-${entry.key}`,
  }));

  const onMenuClick: MenuProps['onClick'] = ({ key }) => {
    const entry = MENU.find((candidate) => candidate.key === key);
    if (entry) navigate(entry.path);
  };

  const logout = async () => {
    try {
      await signOut();
    } catch (error) {
      notifyError(error);
    }
    navigate('/login', { replace: true });
  };

  const userMenu: MenuProps = {
    items: [
      {
        key: 'account',
        icon: <SafetyOutlined />,
        label: t('layout.accountSecurity'),
        'data-testid': 'account-security',
      },
      {
        key: 'password',
        icon: <KeyOutlined />,
        label: t('layout.changePassword'),
        'data-testid': 'change-password',
      },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: t('layout.logout'), 'data-testid': 'logout' },
    ],
    onClick: ({ key }) => {
      if (key === 'account') navigate('/account/security');
      if (key === 'password') setPasswordOpen(true);
      if (key === 'logout') void logout();
    },
  };

  const current = selectedKey(location.pathname);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Text
          strong
          style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}
          data-testid="product-name"
        >
          {t('app.title')}
        </Typography.Text>
        <Flex flex={1} justify="flex-end" align="center" gap={16} style={{ minWidth: 0 }}>
          <Typography.Text
            style={{ color: 'rgba(255,255,255,0.75)', whiteSpace: 'nowrap' }}
            ellipsis
            data-testid="header-organisation"
          >
            {me.organisation.name}
          </Typography.Text>
          <RoleTags roles={me.roles} />
          <Suspense fallback={null}>
            <NoticeBell />
          </Suspense>
          <LanguageToggle dark />
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <Button type="text" data-testid="user-menu" style={{ color: '#fff', paddingInline: 8 }}>
              <Space>
                <Avatar size="small" icon={<UserOutlined />} />
                <span data-testid="header-user-name">{me.displayName}</span>
                <DownOutlined style={{ fontSize: 10 }} />
              </Space>
            </Button>
          </Dropdown>
        </Flex>
      </Header>
      <Layout>
        <Sider width={216} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
          <Menu
            mode="inline"
            items={menuItems}
            selectedKeys={current ? [current] : []}
            onClick={onMenuClick}
            style={{ borderInlineEnd: 'none', paddingTop: 8 }}
            data-testid="side-menu"
          />
        </Sider>
        <Content style={{ padding: 24, minWidth: 0 }}>
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Layout>
  );
}
