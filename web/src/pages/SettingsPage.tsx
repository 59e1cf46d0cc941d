import { useState } from "react";
import { Alert, Button, Code, Group, PasswordInput, Select, Stack, Tabs, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, post } from "../api/client";
import { CallingPolicyForm } from "../components/CallingPolicyForm";
import { TelephonyCredentialsForm } from "../components/TelephonyCredentialsForm";
import { WebhookEndpoints } from "../components/WebhookEndpoints";
import type { ApiKey, Page, Setting, UserRecord } from "../api/types";
import { Failed } from "../components/States";
import { SimpleTable, when } from "../components/SimpleTable";

function Users() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ["users"], queryFn: () => get<Page<UserRecord>>("/users", { limit: 200 }) });
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<string | null>("agent");
  const add = useMutation({
    mutationFn: () => post("/users", { email, name, password, role }),
    onSuccess: () => {
      setEmail("");
      setName("");
      setPassword("");
      void queryClient.invalidateQueries({ queryKey: ["users"] });
    },
  });
  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <TextInput label={t("login.email")} value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <TextInput label={t("settings.name")} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <PasswordInput label={t("login.password")} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" />
        <Select
          label={t("settings.role")}
          value={role}
          onChange={setRole}
          data={["agent", "manager", "admin"].map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        />
        <Button onClick={() => add.mutate()} loading={add.isPending} disabled={!email || !password}>
          {t("settings.addUser")}
        </Button>
      </Group>
      {add.isError && <Failed error={add.error} />}
      <SimpleTable
        query={users}
        rows={users.data?.items ?? []}
        label={t("settings.users")}
        testId="users-table"
        columns={[
          { header: t("login.email"), cell: (u) => u.email },
          { header: t("settings.name"), cell: (u) => u.name },
          { header: t("settings.role"), cell: (u) => t(`roles.${u.role}`) },
          { header: t("settings.created"), cell: (u) => when(u.created_at) },
        ]}
      />
    </Stack>
  );
}

function ApiKeys() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => get<Page<ApiKey>>("/api-keys") });
  const [name, setName] = useState("");
  const [role, setRole] = useState<string | null>("agent");
  const [created, setCreated] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () => post<ApiKey>("/api-keys", { name, role }),
    onSuccess: (key) => {
      setCreated(key.key ?? null);
      setName("");
      void queryClient.invalidateQueries({ queryKey: ["api-keys"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => del(`/api-keys/${id}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["api-keys"] }),
  });
  return (
    <Stack>
      <Group align="flex-end">
        <TextInput label={t("settings.name")} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Select
          label={t("settings.role")}
          value={role}
          onChange={setRole}
          data={["agent", "manager", "admin"].map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        />
        <Button onClick={() => add.mutate()} disabled={!name} loading={add.isPending}>
          {t("settings.addKey")}
        </Button>
      </Group>
      {created && (
        <Alert color="green" title={t("settings.keyOnce")}>
          <Code data-testid="new-api-key">{created}</Code>
        </Alert>
      )}
      {(add.isError || revoke.isError) && <Failed error={add.error ?? revoke.error} />}
      <SimpleTable
        query={keys}
        rows={keys.data?.items ?? []}
        label={t("settings.apiKeys")}
        columns={[
          { header: t("settings.name"), cell: (k) => k.name },
          { header: t("settings.prefix"), cell: (k) => <Code>{k.prefix}</Code> },
          { header: t("settings.role"), cell: (k) => t(`roles.${k.role}`) },
          { header: t("settings.lastUsed"), cell: (k) => when(k.last_used_at) },
          {
            header: "",
            cell: (k) =>
              k.revoked_at ? (
                t("settings.revoked")
              ) : (
                <Button size="xs" color="red" variant="light" onClick={() => revoke.mutate(k.id)}>
                  {t("settings.revoke")}
                </Button>
              ),
          },
        ]}
      />
    </Stack>
  );
}

// Secrets are write-only here: the server never returns their values (masked), and the
// form only sends new ones.
function Policies() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: ["settings"], queryFn: () => get<{ items: Setting[] }>("/settings") });
  return (
    <SimpleTable
      query={settings}
      rows={settings.data?.items ?? []}
      label={t("settings.policies")}
      columns={[
        { header: t("settings.key"), cell: (s) => <Code>{s.key}</Code> },
        { header: t("settings.value"), cell: (s) => <Code>{JSON.stringify(s.value)}</Code> },
        { header: t("settings.updated"), cell: (s) => when(s.updated_at) },
      ]}
    />
  );
}

export default function SettingsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t("settings.title")}</Title>
      <Tabs defaultValue="users" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="users">{t("settings.users")}</Tabs.Tab>
          <Tabs.Tab value="keys">{t("settings.apiKeys")}</Tabs.Tab>
          <Tabs.Tab value="policies">{t("settings.policies")}</Tabs.Tab>
          <Tabs.Tab value="telephony">{t("settings.telephony")}</Tabs.Tab>
          <Tabs.Tab value="webhooks">{t("settings.webhooks")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <Users />
        </Tabs.Panel>
        <Tabs.Panel value="keys" pt="md">
          <ApiKeys />
        </Tabs.Panel>
        <Tabs.Panel value="telephony" pt="md">
          <TelephonyCredentialsForm />
        </Tabs.Panel>
        <Tabs.Panel value="webhooks" pt="md">
          <WebhookEndpoints />
        </Tabs.Panel>
        <Tabs.Panel value="policies" pt="md">
          <Stack>
            <CallingPolicyForm />
            <Policies />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
