import { Badge, Button, Card, Group, ScrollArea, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { post } from "../api/client";
import { Link } from "react-router-dom";
import { useLive, type LiveCall } from "../live/LiveFeed";
import { Empty } from "../components/States";

const SENTIMENT_COLOR: Record<string, string> = { positive: "green", negative: "red", neutral: "gray" };
const ACTIVE_MS = 60_000;

// Hands the callee to the campaign's people now: the server gives the call new
// instructions that say one line and dial the campaign's transfer number.
function TakeOver({ attemptId, active }: { attemptId: number; active: boolean }) {
  const { t } = useTranslation();
  const take = useMutation({
    mutationFn: () => post<{ connected_to: string }>(`/live/calls/${attemptId}/take-over`, {}),
  });
  if (take.isSuccess) {
    return <Text size="sm" c="green.9" mb="xs" data-testid="taken-over">{t("live.takenOver", { number: take.data.connected_to })}</Text>;
  }
  return (
    <Group gap="xs" mb="xs">
      <Button size="xs" variant="light" color="orange" onClick={() => take.mutate()} loading={take.isPending} disabled={!active} aria-label={t("live.takeOverLabel", { id: attemptId })}>
        {t("live.takeOver")}
      </Button>
      {take.isError && <Text size="sm" c="red.9" role="alert">{take.error instanceof Error ? take.error.message : String(take.error)}</Text>}
    </Group>
  );
}

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
      <TakeOver attemptId={call.attemptId} active={active} />
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
