import { Badge, Card, Group, ScrollArea, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useLive, type LiveCall } from "../live/LiveFeed";
import { Empty } from "../components/States";

const SENTIMENT_COLOR: Record<string, string> = { positive: "green", negative: "red", neutral: "gray" };
const ACTIVE_MS = 60_000;

function CallCard({ call }: { call: LiveCall }) {
  const { t } = useTranslation();
  const last = call.turns[call.turns.length - 1];
  const callee = [...call.turns].reverse().find((turn) => turn.speaker !== "agent");
  const active = Date.now() - call.lastAt < ACTIVE_MS;
  return (
    <Card withBorder data-testid="live-call">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>
          <Link to={`/leads/${call.leadId}`}>{t("live.lead", { id: call.leadId })}</Link> · {t("live.campaign", { id: call.campaignId })}
        </Text>
        <Badge color={active ? "green" : "gray"}>{active ? t("live.active") : t("live.quiet")}</Badge>
      </Group>
      <Group gap="xs" mb="xs">
        {callee?.intent && <Badge variant="light">{t("live.intent")}: {callee.intent}</Badge>}
        {callee?.sentiment && (
          <Badge variant="light" color={SENTIMENT_COLOR[callee.sentiment] ?? "gray"}>
            {t(`sentiment.${callee.sentiment}`, callee.sentiment)}
          </Badge>
        )}
        {last?.step && <Badge variant="outline">{last.step}</Badge>}
      </Group>
      <ScrollArea h={220} type="auto" viewportProps={{ tabIndex: 0 }}>
        <Stack gap={4} data-testid="live-transcript" aria-live="polite">
          {call.turns.map((turn, i) => (
            <Text key={i} size="sm">
              <b>{turn.speaker === "agent" ? t("live.agent") : t("live.callee")}:</b> {turn.text}
            </Text>
          ))}
        </Stack>
      </ScrollArea>
    </Card>
  );
}

export function LiveMonitorPage() {
  const { t } = useTranslation();
  const { connected, calls } = useLive();
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{t("live.title")}</Title>
        <Badge color={connected ? "green" : "red"} data-testid="live-connection">
          {connected ? t("live.connected") : t("live.disconnected")}
        </Badge>
      </Group>
      {calls.length === 0 && <Empty text={t("live.none")} />}
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        {calls.map((call) => (
          <CallCard key={call.attemptId} call={call} />
        ))}
      </SimpleGrid>
    </>
  );
}
