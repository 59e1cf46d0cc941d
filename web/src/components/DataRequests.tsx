import { useState } from "react";
import { Badge, Button, Group, Modal, Select, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get, post } from "../api/client";
import type { DataRequest } from "../api/types";
import { SimpleTable } from "./SimpleTable";
import { Failed } from "./States";

const KINDS = ["erasure", "access", "correction", "withdrawal", "grievance"];
const CHANNELS = ["call", "email", "web", "letter", "in_person", "other"];

// Erasure, access, correction and withdrawal requests and grievances, each due 90 days
// after it arrived (DPDP Rules): record them, see what is due soon or overdue, close them
// saying what was done. The server refuses to close an erasure as done while its lead exists.
export function DataRequests() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const empty = { kind: "grievance", requester: "", channel: "call", phone: "", details: "", received_on: "" };
  const [form, setForm] = useState(empty);
  const [closing, setClosing] = useState<DataRequest | null>(null);
  const [outcome, setOutcome] = useState("done");
  const [note, setNote] = useState("");
  const list = useQuery({ queryKey: ["data-requests"], queryFn: () => get<{ items: DataRequest[] }>("/data-requests") });
  const add = useMutation({
    mutationFn: () => post<DataRequest>("/data-requests", { ...form, received_on: form.received_on || undefined }),
    onSuccess: () => {
      setForm(empty);
      void queryClient.invalidateQueries({ queryKey: ["data-requests"] });
    },
  });
  const close = useMutation({
    mutationFn: () => post<DataRequest>(`/data-requests/${closing?.id}/close`, { outcome, note }),
    onSuccess: () => {
      setClosing(null);
      setNote("");
      void queryClient.invalidateQueries({ queryKey: ["data-requests"] });
    },
  });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  return (
    <Stack>
      <Text size="sm" c="dimmed">{t("requests.intro")}</Text>
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t("requests.kind")}
          value={form.kind}
          onChange={(v) => set("kind")(v ?? "grievance")}
          allowDeselect={false}
          data={KINDS.map((k) => ({ value: k, label: t(`requests.kinds.${k}`) }))}
          w={190}
        />
        <TextInput label={t("requests.requester")} value={form.requester} onChange={(e) => set("requester")(e.currentTarget.value)} w={240} />
        <Select
          label={t("requests.channel")}
          value={form.channel}
          onChange={(v) => set("channel")(v ?? "other")}
          allowDeselect={false}
          data={CHANNELS.map((c) => ({ value: c, label: t(`requests.channels.${c}`) }))}
          w={150}
        />
        <TextInput label={t("leads.phone")} value={form.phone} onChange={(e) => set("phone")(e.currentTarget.value)} w={170} />
        <TextInput type="date" label={t("requests.receivedOn")} value={form.received_on} onChange={(e) => set("received_on")(e.currentTarget.value)} />
      </Group>
      <Textarea label={t("requests.details")} value={form.details} onChange={(e) => set("details")(e.currentTarget.value)} autosize minRows={2} />
      <Group>
        <Button onClick={() => add.mutate()} loading={add.isPending} disabled={!form.requester.trim()}>
          {t("requests.add")}
        </Button>
      </Group>
      {add.isError && <Failed error={add.error} />}
      <SimpleTable
        query={list}
        rows={list.data?.items ?? []}
        label={t("requests.title")}
        testId="requests-table"
        columns={[
          { header: t("requests.kind"), cell: (r) => t(`requests.kinds.${r.kind}`) },
          { header: t("requests.requester"), cell: (r) => r.requester },
          { header: t("leads.phone"), cell: (r) => r.phone ?? (r.phone_hint || "—") },
          {
            header: t("requests.due"),
            cell: (r) =>
              r.state === "closed" ? (
                r.due_on
              ) : (
                <Group gap={6} wrap="nowrap">
                  <span>{r.due_on}</span>
                  <Badge color={r.overdue ? "red" : r.days_left <= 14 ? "orange" : "gray"} variant="light">
                    {r.overdue ? t("requests.overdue", { days: -r.days_left }) : t("requests.daysLeft", { days: r.days_left })}
                  </Badge>
                </Group>
              ),
          },
          {
            header: t("requests.state"),
            cell: (r) =>
              r.state === "closed" ? (
                <Text size="sm">{t(`requests.outcomes.${r.outcome}`)}: {r.note}</Text>
              ) : (
                <Button size="xs" variant="light" onClick={() => setClosing(r)} aria-label={t("requests.closeOne", { id: r.id })}>
                  {t("requests.close")}
                </Button>
              ),
          },
        ]}
      />
      <Modal opened={closing !== null} onClose={() => setClosing(null)} title={t("requests.closeTitle")}>
        <Stack>
          <Select
            label={t("requests.outcome")}
            value={outcome}
            onChange={(v) => setOutcome(v ?? "done")}
            allowDeselect={false}
            data={["done", "refused"].map((o) => ({ value: o, label: t(`requests.outcomes.${o}`) }))}
          />
          <Textarea label={t("requests.note")} value={note} onChange={(e) => setNote(e.currentTarget.value)} required />
          {close.isError && <Failed error={close.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setClosing(null)}>{t("common.cancel")}</Button>
            <Button onClick={() => close.mutate()} loading={close.isPending} disabled={!note.trim()}>
              {t("requests.close")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
