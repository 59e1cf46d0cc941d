import type { ReactNode } from "react";
import { AppShell, Burger, Group, NavLink, Text, Button, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { NavLink as RouterLink, useLocation } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { useAuth } from "../auth/AuthContext";
import { LanguageSwitch } from "./LanguageSwitch";
import type { User } from "../api/client";

interface NavItem {
  to: string;
  label: string;
  role: User["role"];
}

const NAV: NavItem[] = [
  { to: "/", label: "nav.overview", role: "agent" },
  { to: "/live", label: "nav.live", role: "agent" },
  { to: "/leads", label: "nav.leads", role: "agent" },
  { to: "/imports", label: "nav.imports", role: "manager" },
  { to: "/campaigns", label: "nav.campaigns", role: "agent" },
  { to: "/reports", label: "nav.reports", role: "manager" },
  { to: "/compliance", label: "nav.compliance", role: "manager" },
  { to: "/settings", label: "nav.settings", role: "admin" },
];

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { user, atLeast, logout } = useAuth();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const active = (to: string) =>
    to === "/" ? location.pathname === "/" : location.pathname.startsWith(to);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("nav.menu")} />
            <Title order={3}>{t("app.name")}</Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            <Text size="sm" visibleFrom="sm" data-testid="whoami">
              {user?.email} · {t(`roles.${user?.role}`)}
            </Text>
            <Button variant="default" size="xs" onClick={() => void logout()}>
              {t("nav.logout")}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t("nav.main")}>
        {NAV.filter((item) => atLeast(item.role)).map((item) => (
          <NavLink
            key={item.to}
            component={RouterLink}
            to={item.to}
            label={t(item.label)}
            active={active(item.to)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
