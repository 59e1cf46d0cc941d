import { useState } from "react";
import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Tabs, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get, post } from "../api/client";
import type { AuditRecord, Consent, DndStatus, DoNotCallEntry, Page } from "../api/types";
import { Failed, Loading } from "../components/States";
import { SimpleTable, when } from "../components/SimpleTable";
import { useAuth } from "../auth/AuthContext";
import { DataRequests } from "../components/DataRequests";

function DndCard() {
  const { t } = useTranslation();
  const status = useQuery({ queryKey: ["dnd-status"], queryFn: () => get<DndStatus>("/dnd/status") });
  if (status.isPending) return <Loading />;
  if (status.isError) return <Failed error={status.error} />;
  const s = status.data;
  return (
    <Card withBorder data-testid="dnd-status">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t("compliance.dnd")}</Title>
        <Badge color={!s.usable ? "red" : s.stale ? "orange" : "green"}>
          {!s.usable ? t("compliance.unusable") : s.stale ? t("compliance.stale") : t("compliance.current")}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Text size="sm">{t("compliance.registryDate")}: {s.registry_date ?? "—"}</Text>
        <Text size="sm">{t("compliance.numbers")}: {s.numbers?.toLocaleString() ?? "—"}</Text>
        <Text size="sm">{t("compliance.todayIst")}: {s.today_ist}</Text>
      </SimpleGrid>
      {s.reason && !s.usable && (
        <Alert color="red" mt="sm" role="alert">
          {s.reason}
        </Alert>
      )}
    </Card>
  );
}

function DoNotCall() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [phone, setPhone] = useState("");
  const [reason, setReason] = useState("");
  const list = useQuery({ queryKey: ["dnc"], queryFn: () => get<Page<DoNotCallEntry>>("/do-not-call", { limit: 100 }) });
  const add = useMutation({
    mutationFn: () => post("/do-not-call", { phone, reason, source: "manual" }),
    onSuccess: () => {
      setPhone("");
      setReason("");
      void queryClient.invalidateQueries({ queryKey: ["dnc"] });
    },
  });
  return (
    <Stack>
      <Group align="flex-end">
        <TextInput label={t("leads.phone")} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
        <TextInput label={t("compliance.reason")} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button onClick={() => add.mutate()} disabled={!phone.trim()} loading={add.isPending}>
          {t("compliance.addDnc")}
        </Button>
      </Group>
      {add.isError && <Failed error={add.error} />}
      <SimpleTable
        query={list}
        rows={list.data?.items ?? []}
        label={t("compliance.dnc")}
        testId="dnc-table"
        columns={[
          { header: t("leads.phone"), cell: (r) => r.phone },
          { header: t("compliance.source"), cell: (r) => r.source },
          { header: t("compliance.reason"), cell: (r) => r.reason },
          { header: t("compliance.added"), cell: (r) => when(r.added_at) },
          { header: t("compliance.active"), cell: (r) => (r.active ? "✓" : "—") },
        ]}
      />
    </Stack>
  );
}

function Consents() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ["consents"], queryFn: () => get<Page<Consent>>("/consents", { limit: 100 }) });
  return (
    <SimpleTable
      query={list}
      rows={list.data?.items ?? []}
      label={t("compliance.consents")}
      columns={[
        { header: t("leads.phone"), cell: (r) => r.phone },
        { header: t("compliance.purpose"), cell: (r) => r.purpose },
        { header: t("compliance.given"), cell: (r) => when(r.given_at) },
        { header: t("compliance.expires"), cell: (r) => when(r.expires_at) },
        { header: t("compliance.withdrawn"), cell: (r) => when(r.withdrawn_at) },
      ]}
    />
  );
}

function Audit() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ["audit"], queryFn: () => get<Page<AuditRecord>>("/audit", { limit: 100 }) });
  return (
    <SimpleTable
      query={list}
      rows={list.data?.items ?? []}
      label={t("compliance.audit")}
      testId="audit-table"
      columns={[
        { header: "#", cell: (r) => r.seq },
        { header: t("compliance.when"), cell: (r) => when(r.at) },
        { header: t("compliance.actor"), cell: (r) => r.actor },
        { header: t("compliance.action"), cell: (r) => r.action },
        { header: t("compliance.target"), cell: (r) => r.target },
        { header: t("compliance.outcome"), cell: (r) => r.outcome },
      ]}
    />
  );
}

export default function CompliancePage() {
  const { t } = useTranslation();
  const { atLeast } = useAuth();
  return (
    <Stack>
      <Title order={2}>{t("compliance.title")}</Title>
      <DndCard />
      <Tabs defaultValue="dnc" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="dnc">{t("compliance.dnc")}</Tabs.Tab>
          <Tabs.Tab value="consents">{t("compliance.consents")}</Tabs.Tab>
          <Tabs.Tab value="requests">{t("requests.title")}</Tabs.Tab>
          {atLeast("admin") && <Tabs.Tab value="audit">{t("compliance.audit")}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="dnc" pt="md">
          <DoNotCall />
        </Tabs.Panel>
        <Tabs.Panel value="requests" pt="md">
          <DataRequests />
        </Tabs.Panel>
        <Tabs.Panel value="consents" pt="md">
          <Consents />
        </Tabs.Panel>
        {atLeast("admin") && (
          <Tabs.Panel value="audit" pt="md">
            <Audit />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
