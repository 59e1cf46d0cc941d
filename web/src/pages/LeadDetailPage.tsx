import { useState } from "react";
import { useParams, useNavigate } from "react-router-dom";
import { Badge, Button, Card, Group, Modal, Stack, Text, Textarea, Timeline, Title, SimpleGrid } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, post } from "../api/client";
import type { Lead, LeadEvent, Page } from "../api/types";
import { Empty, Failed, Loading } from "../components/States";
import { useAuth } from "../auth/AuthContext";
import { RecordingPlayer } from "../components/RecordingPlayer";
import { LeadEditForm } from "../components/LeadEditForm";

function describe(event: LeadEvent): string {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const parts = Object.entries(data)
    .filter(([, v]) => v !== null && v !== "" && typeof v !== "object")
    .map(([k, v]) => `${k}: ${String(v)}`);
  return parts.join(" · ");
}

interface Turn {
  speaker: string;
  text: string;
  intent?: string;
}

function CallTranscript({ data }: { data: Record<string, unknown> }) {
  const { t } = useTranslation();
  const turns = (data.transcript as Turn[] | undefined) ?? [];
  if (!turns.length) return null;
  return (
    <Stack gap={2} mt={4} data-testid="call-transcript">
      {turns.map((turn, i) => (
        <Text key={i} size="xs">
          <b>{turn.speaker === "agent" ? t("live.agent") : t("live.callee")}:</b> {turn.text}
          {turn.intent ? ` (${turn.intent})` : ""}
        </Text>
      ))}
    </Stack>
  );
}

export default function LeadDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { atLeast } = useAuth();
  const queryClient = useQueryClient();
  const [note, setNote] = useState("");
  const [confirmErase, setConfirmErase] = useState(false);
  const [editing, setEditing] = useState(false);
  const [eraseReason, setEraseReason] = useState("");

  const lead = useQuery({ queryKey: ["lead", id], queryFn: () => get<Lead>(`/leads/${id}`) });
  const timeline = useQuery({
    queryKey: ["lead", id, "timeline"],
    queryFn: () => get<Page<LeadEvent>>(`/leads/${id}/timeline`, { limit: 100 }),
  });
  const addNote = useMutation({
    mutationFn: () => post(`/leads/${id}/notes`, { text: note }),
    onSuccess: () => {
      setNote("");
      void queryClient.invalidateQueries({ queryKey: ["lead", id, "timeline"] });
    },
  });
  const erase = useMutation({
    mutationFn: () => del(`/leads/${id}?reason=${encodeURIComponent(eraseReason.trim())}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["leads"] });
      navigate("/leads");
    },
  });

  if (lead.isPending) return <Loading />;
  if (lead.isError) return <Failed error={lead.error} />;
  const l = lead.data;
  const attempts = (timeline.data?.items ?? [])
    .map((e) => (e.data as Record<string, unknown> | undefined)?.attempt_id)
    .filter((a): a is number => typeof a === "number");

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{l.name || l.phone || `#${l.id}`}</Title>
        {atLeast("manager") && (
          <Group>
            <Button variant="default" onClick={() => setEditing(true)}>
              {t("leadEdit.open")}
            </Button>
            {atLeast("admin") && (
              <Button color="red" variant="light" onClick={() => setConfirmErase(true)}>
                {t("lead.erase")}
              </Button>
            )}
          </Group>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Card withBorder>
          <Text size="xs" c="dimmed">{t("leads.phone")}</Text>
          <Text>{l.phone ?? "—"}</Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">{t("leads.status")}</Text>
          <Text>{t(`status.${l.status}`, l.status)}</Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">{t("leads.dnd")}</Text>
          <Badge variant="light" color={l.dnd?.state === "blocked" ? "red" : "gray"}>
            {t(`dnd.${l.dnd?.state ?? "unknown"}`)}
          </Badge>
          {l.dnd?.checked_on && <Text size="xs">{t("lead.checkedOn", { date: l.dnd.checked_on })}</Text>}
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">{t("leads.city")}</Text>
          <Text>{[l.city, l.state].filter(Boolean).join(", ") || "—"}</Text>
        </Card>
      </SimpleGrid>
      {attempts.length > 0 && (
        <Card withBorder>
          <Title order={4} mb="xs">{t("lead.recordings")}</Title>
          {attempts.map((a) => (
            <RecordingPlayer key={a} attemptId={a} />
          ))}
        </Card>
      )}
      <Card withBorder>
        <Title order={4} mb="xs">{t("lead.addNote")}</Title>
        <Group align="flex-end">
          <Textarea
            label={t("lead.note")}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            style={{ flex: 1 }}
            autosize
            minRows={1}
          />
          <Button onClick={() => addNote.mutate()} disabled={!note.trim()} loading={addNote.isPending}>
            {t("lead.save")}
          </Button>
        </Group>
        {addNote.isError && <Failed error={addNote.error} />}
      </Card>
      <Card withBorder>
        <Title order={4} mb="sm">{t("lead.timeline")}</Title>
        {timeline.isPending && <Loading />}
        {timeline.isError && <Failed error={timeline.error} />}
        {timeline.isSuccess && timeline.data.items.length === 0 && <Empty />}
        {timeline.isSuccess && (
          <Timeline bulletSize={14} lineWidth={2} data-testid="timeline">
            {timeline.data.items.map((e, i) => (
              <Timeline.Item key={i} title={t(`event.${e.kind}`, e.kind ?? "")}>
                <Text size="xs" c="dimmed">
                  {e.at ? new Date(e.at).toLocaleString() : ""} · {e.actor}
                </Text>
                <Text size="sm">{describe(e)}</Text>
                {e.kind === "call" && <CallTranscript data={e.data as Record<string, unknown>} />}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Card>
      <Modal opened={editing} onClose={() => setEditing(false)} title={t("leadEdit.title")} size="lg">
        {editing && <LeadEditForm lead={l} onDone={() => setEditing(false)} />}
      </Modal>
      <Modal opened={confirmErase} onClose={() => setConfirmErase(false)} title={t("lead.erase")}>
        <Text mb="md">{t("lead.eraseConfirm")}</Text>
        <Textarea
          label={t("lead.eraseReason")}
          value={eraseReason}
          onChange={(e) => setEraseReason(e.currentTarget.value)}
          required
          mb="md"
        />
        {erase.isError && <Failed error={erase.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirmErase(false)}>{t("common.cancel")}</Button>
          <Button color="red" loading={erase.isPending} disabled={!eraseReason.trim()} onClick={() => erase.mutate()}>
            {t("lead.erase")}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
