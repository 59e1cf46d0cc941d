import { useState } from "react";
import { Alert, Badge, Button, Code, Group, MultiSelect, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, patch, post } from "../api/client";
import type { WebhookDelivery, WebhookEndpoint } from "../api/types";
import { Failed } from "./States";
import { SimpleTable, when } from "./SimpleTable";

interface EndpointList {
  items: WebhookEndpoint[];
  events: string[];
}

const STATE_COLOR: Record<string, string> = { delivered: "green", pending: "yellow", failed: "red" };

// The latest deliveries to one endpoint. Refreshed every two seconds while any is still
// pending, so a retry's result shows without a reload.
function Deliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const deliveries = useQuery({
    queryKey: ["webhook-deliveries", endpoint.id],
    queryFn: () => get<{ items: WebhookDelivery[] }>(`/webhook-endpoints/${endpoint.id}/deliveries`),
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.state === "pending") ? 2000 : false),
  });
  const again = useMutation({
    mutationFn: (id: number) => post(`/webhook-deliveries/${id}/retry`, {}),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["webhook-deliveries", endpoint.id] }),
  });
  return (
    <Stack gap="xs">
      <Title order={4}>{t("webhooks.deliveriesOf", { url: endpoint.url })}</Title>
      {again.isError && <Failed error={again.error} />}
      <SimpleTable
        query={deliveries}
        rows={deliveries.data?.items ?? []}
        label={t("webhooks.deliveries")}
        testId="webhook-deliveries"
        columns={[
          { header: t("webhooks.event"), cell: (d) => <Code>{d.event}</Code> },
          { header: t("webhooks.state"), cell: (d) => <Badge variant="light" color={STATE_COLOR[d.state]}>{t(`webhooks.states.${d.state}`)}</Badge> },
          { header: t("webhooks.attempts"), cell: (d) => d.attempts },
          { header: t("webhooks.answer"), cell: (d) => (d.last_status ? `HTTP ${d.last_status}` : d.last_error || "—") },
          { header: t("webhooks.created"), cell: (d) => when(d.created_at) },
          { header: t("webhooks.next"), cell: (d) => (d.state === "pending" ? when(d.next_attempt_at) : when(d.delivered_at)) },
          {
            header: "",
            cell: (d) =>
              d.state === "failed" ? (
                <Button size="xs" variant="light" onClick={() => again.mutate(d.id)}>
                  {t("webhooks.sendAgain")}
                </Button>
              ) : null,
          },
        ]}
      />
    </Stack>
  );
}

// Outbound webhooks: where Vaarta tells the business's own systems about ended calls and
// finished imports. The signing secret is shown once, when an endpoint is added.
export function WebhookEndpoints() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const endpoints = useQuery({ queryKey: ["webhook-endpoints"], queryFn: () => get<EndpointList>("/webhook-endpoints") });
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<string[]>(["call.completed"]);
  const [secret, setSecret] = useState<string | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["webhook-endpoints"] });
  const add = useMutation({
    mutationFn: () => post<WebhookEndpoint & { secret: string }>("/webhook-endpoints", { url: url.trim(), description, events }),
    onSuccess: (made) => {
      setSecret(made.secret);
      setUrl("");
      setDescription("");
      setShown(made.id);
      refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (e: WebhookEndpoint) => patch(`/webhook-endpoints/${e.id}`, { active: !e.active }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: number) => del(`/webhook-endpoints/${id}`),
    onSuccess: (_, id) => {
      if (shown === id) setShown(null);
      refresh();
    },
  });
  const test = useMutation({
    mutationFn: (id: number) => post(`/webhook-endpoints/${id}/test`, {}),
    onSuccess: (_, id) => {
      setShown(id);
      void queryClient.invalidateQueries({ queryKey: ["webhook-deliveries", id] });
    },
  });
  const selected = endpoints.data?.items.find((e) => e.id === shown);
  const failure = add.error ?? toggle.error ?? remove.error ?? test.error;
  return (
    <Stack>
      <Text size="sm" c="dimmed">{t("webhooks.intro")}</Text>
      <Group align="flex-end" wrap="wrap">
        <TextInput label={t("webhooks.url")} value={url} onChange={(e) => setUrl(e.currentTarget.value)} placeholder="https://crm.example.in/hooks/vaarta" style={{ flex: "2 1 18rem" }} />
        <TextInput label={t("webhooks.description")} value={description} onChange={(e) => setDescription(e.currentTarget.value)} style={{ flex: "1 1 10rem" }} />
        <MultiSelect
          label={t("webhooks.events")}
          value={events}
          onChange={setEvents}
          data={(endpoints.data?.events ?? ["call.completed", "import.completed"]).map((e) => ({ value: e, label: t(`webhooks.eventNames.${e}`, { defaultValue: e }) }))}
          style={{ flex: "1 1 14rem" }}
        />
        <Button onClick={() => add.mutate()} loading={add.isPending} disabled={!url || events.length === 0}>
          {t("webhooks.add")}
        </Button>
      </Group>
      {secret && (
        <Alert color="green" title={t("webhooks.secretOnce")} withCloseButton onClose={() => setSecret(null)} closeButtonLabel={t("webhooks.hide")}>
          <Code data-testid="new-webhook-secret">{secret}</Code>
          <Text size="sm" mt="xs">{t("webhooks.signatureHelp")}</Text>
        </Alert>
      )}
      {failure && <Failed error={failure} />}
      <SimpleTable
        query={endpoints}
        rows={endpoints.data?.items ?? []}
        label={t("webhooks.endpoints")}
        testId="webhook-endpoints"
        columns={[
          { header: t("webhooks.url"), cell: (e) => <Text size="sm" style={{ wordBreak: "break-all" }}>{e.url}</Text> },
          { header: t("webhooks.description"), cell: (e) => e.description },
          { header: t("webhooks.events"), cell: (e) => e.events.join(", ") },
          { header: t("webhooks.secret"), cell: (e) => <Code>{e.secret_hint}</Code> },
          {
            header: t("webhooks.state"),
            cell: (e) => <Badge variant="light" color={e.active ? "green" : "gray"}>{e.active ? t("webhooks.active") : t("webhooks.paused")}</Badge>,
          },
          {
            header: "",
            cell: (e) => (
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant="light" onClick={() => test.mutate(e.id)} aria-label={`${t("webhooks.test")}: ${e.url}`}>
                  {t("webhooks.test")}
                </Button>
                <Button size="xs" variant="subtle" onClick={() => setShown(e.id)} aria-label={`${t("webhooks.deliveries")}: ${e.url}`}>
                  {t("webhooks.deliveries")}
                </Button>
                <Button size="xs" variant="subtle" onClick={() => toggle.mutate(e)}>
                  {e.active ? t("webhooks.pause") : t("webhooks.resume")}
                </Button>
                <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(e.id)} aria-label={`${t("webhooks.remove")}: ${e.url}`}>
                  {t("webhooks.remove")}
                </Button>
              </Group>
            ),
          },
        ]}
      />
      {selected && <Deliveries endpoint={selected} />}
    </Stack>
  );
}
