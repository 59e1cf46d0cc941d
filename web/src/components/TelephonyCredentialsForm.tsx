import { useState } from "react";
import { Alert, Badge, Button, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, post, put } from "../api/client";
import type { TelephonyCredentialCheck, TelephonyCredentials } from "../api/types";
import { Failed, Loading } from "./States";
import { when } from "./SimpleTable";

// The Twilio account's credentials. Write-only: the server says which secrets are stored
// and shows their last characters, never the secrets; a secret field left empty keeps
// the stored one. "Check" asks Twilio with what is typed (or, when nothing is, with
// what is stored) before anything is saved.
export function TelephonyCredentialsForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: ["telephony-credentials"],
    queryFn: () => get<TelephonyCredentials>("/telephony/credentials"),
  });
  const [accountSid, setAccountSid] = useState<string | null>(null);
  const [authToken, setAuthToken] = useState("");
  const [keySid, setKeySid] = useState<string | null>(null);
  const [keySecret, setKeySecret] = useState("");
  const sid = accountSid ?? current.data?.account_sid ?? "";
  const apiKeySid = keySid ?? current.data?.api_key_sid ?? "";
  const entered = () => {
    const body: Record<string, string> = { account_sid: sid.trim() };
    if (authToken) body.auth_token = authToken;
    if (keySid !== null) body.api_key_sid = apiKeySid.trim();
    if (keySecret) body.api_key_secret = keySecret;
    return body;
  };
  const reset = () => {
    setAuthToken("");
    setKeySecret("");
    setAccountSid(null);
    setKeySid(null);
  };
  const save = useMutation({
    mutationFn: () => put<TelephonyCredentials>("/telephony/credentials", entered()),
    onSuccess: (saved) => {
      reset();
      queryClient.setQueryData(["telephony-credentials"], saved);
    },
  });
  const forget = useMutation({
    mutationFn: () => del("/telephony/credentials"),
    onSuccess: () => {
      reset();
      void queryClient.invalidateQueries({ queryKey: ["telephony-credentials"] });
    },
  });
  const check = useMutation({
    mutationFn: () =>
      post<TelephonyCredentialCheck>("/telephony/credentials/check", authToken || keySecret ? entered() : {}),
  });
  if (current.isPending) return <Loading />;
  if (current.isError) return <Failed error={current.error} />;
  const c = current.data;
  const tokenPlaceholder = c.source === "dashboard" && c.auth_token.set ? t("telephony.keep", { hint: c.auth_token.hint }) : "";
  const secretPlaceholder = c.api_key_secret.set ? t("telephony.keep", { hint: c.api_key_secret.hint }) : "";
  return (
    <Stack data-testid="telephony-credentials">
      <Text size="sm" c="dimmed">{t("telephony.intro")}</Text>
      <Group gap="xs">
        <Badge variant="light" color={c.source === "dashboard" ? "green" : c.source === "configuration" ? "blue" : "gray"} data-testid="credentials-source">
          {t(`telephony.source.${c.source}`)}
        </Badge>
        {c.updated_at && <Text size="sm" c="dimmed">{t("telephony.updated", { when: when(c.updated_at), who: c.updated_by ?? "" })}</Text>}
      </Group>
      {c.active_provider !== "twilio" && <Alert color="blue">{t("telephony.notActive", { provider: c.active_provider })}</Alert>}
      {!c.readable && c.source === "dashboard" && <Alert color="red">{t("telephony.unreadable")}</Alert>}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t("telephony.accountSid")} value={sid} onChange={(e) => setAccountSid(e.currentTarget.value)} placeholder="AC…" autoComplete="off" spellCheck={false} />
        <PasswordInput label={t("telephony.authToken")} value={authToken} onChange={(e) => setAuthToken(e.currentTarget.value)} placeholder={tokenPlaceholder} autoComplete="new-password" />
        <TextInput label={t("telephony.apiKeySid")} value={apiKeySid} onChange={(e) => setKeySid(e.currentTarget.value)} placeholder="SK…" autoComplete="off" spellCheck={false} description={t("telephony.apiKeyHelp")} />
        <PasswordInput label={t("telephony.apiKeySecret")} value={keySecret} onChange={(e) => setKeySecret(e.currentTarget.value)} placeholder={secretPlaceholder} autoComplete="new-password" />
      </SimpleGrid>
      {save.isError && <Failed error={save.error} />}
      {forget.isError && <Failed error={forget.error} />}
      {check.isError && <Failed error={check.error} />}
      {check.data && (
        <Alert color={check.data.ok ? "green" : "red"} data-testid="credentials-check" title={check.data.ok ? t("telephony.checkOk") : t("telephony.checkFailed")}>
          {check.data.account ? `${check.data.account.friendly_name} (${check.data.account.type}, ${check.data.account.status}). ` : ""}
          {check.data.message}
        </Alert>
      )}
      {save.isSuccess && <Text size="sm" data-testid="credentials-saved">{t("telephony.saved")}</Text>}
      <Group>
        <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!sid}>{t("telephony.save")}</Button>
        <Button variant="light" onClick={() => check.mutate()} loading={check.isPending} disabled={!sid && c.source !== "dashboard"}>
          {t("telephony.check")}
        </Button>
        {c.source === "dashboard" && (
          <Button variant="subtle" color="red" onClick={() => forget.mutate()} loading={forget.isPending}>
            {t("telephony.forget")}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
