import { Alert, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get } from "../api/client";
import type { components } from "../api/schema";
import type { DndStatus } from "../api/types";
import { Chart } from "../components/Chart";
import { Failed, Loading } from "../components/States";
import { useLive } from "../live/LiveFeed";
import { useAuth } from "../auth/AuthContext";

type Overview = components["schemas"]["Overview"];

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <Card withBorder>
      <Text size="xs" c="dimmed" tt="uppercase">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

export function OverviewPage() {
  const { t } = useTranslation();
  const { atLeast } = useAuth();
  const live = useLive();
  // Refreshed by the live feed whenever a call turn arrives; the interval only covers
  // calls that end without speaking.
  const overview = useQuery({
    queryKey: ["overview"],
    queryFn: () => get<Overview>("/overview"),
    refetchInterval: 30_000,
  });
  const dnd = useQuery({
    queryKey: ["dnd-status"],
    queryFn: () => get<DndStatus>("/dnd/status"),
    enabled: atLeast("manager"),
  });

  if (overview.isPending) return <Loading />;
  if (overview.isError) return <Failed error={overview.error} />;
  const o = overview.data;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const alerts: string[] = [];
  if (dnd.data && !dnd.data.usable) alerts.push(t("overview.dndUnusable", { reason: dnd.data.reason ?? "" }));
  else if (dnd.data?.stale) alerts.push(t("overview.dndStale"));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("overview.title")}</Title>
        <Text c="dimmed">{t("overview.day", { day: o.day })}</Text>
      </Group>
      {alerts.map((a) => (
        <Alert key={a} color="orange" role="alert" title={t("overview.alert")}>
          {a}
        </Alert>
      ))}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        <Stat label={t("overview.placed")} value={o.placed} testId="stat-placed" />
        <Stat label={t("overview.connectRate")} value={pct(o.connect_rate)} />
        <Stat label={t("overview.converted")} value={o.converted} />
        <Stat label={t("overview.optedOut")} value={o.opted_out} />
        <Stat label={t("overview.liveCalls")} value={o.live_calls} testId="stat-live" />
        <Stat label={t("overview.running")} value={o.running_campaigns} />
      </SimpleGrid>
      <Card withBorder>
        <Title order={4} mb="xs">
          {t("overview.byHour")}
        </Title>
        <Chart
          label={t("overview.byHour")}
          option={{
            tooltip: { trigger: "axis" },
            legend: { data: [t("overview.placed"), t("overview.answered"), t("overview.converted")] },
            xAxis: { type: "category", data: o.by_hour.map((h) => `${h.hour}:00`) },
            yAxis: { type: "value", minInterval: 1 },
            series: [
              { name: t("overview.placed"), type: "bar", data: o.by_hour.map((h) => h.placed) },
              { name: t("overview.answered"), type: "bar", data: o.by_hour.map((h) => h.answered) },
              { name: t("overview.converted"), type: "line", data: o.by_hour.map((h) => h.converted) },
            ],
          }}
        />
      </Card>
      <Text size="sm" c="dimmed">
        {live.connected ? t("live.connected") : t("live.disconnected")} · {t("overview.costNote")}
      </Text>
    </Stack>
  );
}
