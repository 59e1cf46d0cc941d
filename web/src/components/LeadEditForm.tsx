import { useState, type FormEvent } from "react";
import { Button, Group, Select, SimpleGrid, Stack, TagsInput, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { patch } from "../api/client";
import type { Lead } from "../api/types";
import { Failed } from "./States";

// The statuses a person may set; "erased" is reached only by erasing.
const STATUSES = ["new", "contacted", "interested", "not_interested", "callback", "converted", "do_not_call", "wrong_number"];

// Edits a lead's details (PATCH /api/v1/leads/{id}); the server checks every field and
// its refusal is shown as it says it. The phone number is the lead's identity and is not
// edited here: a different number is a different lead.
export function LeadEditForm({ lead, onDone }: { lead: Lead; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    name: lead.name ?? "",
    email: lead.email ?? "",
    language: lead.language ?? "",
    city: lead.city ?? "",
    state: lead.state ?? "",
    time_zone: lead.time_zone ?? "",
    status: lead.status ?? "new",
    tags: (lead.tags ?? []) as string[],
  });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const save = useMutation({
    mutationFn: () => patch<Lead>(`/leads/${lead.id}`, form),
    onSuccess: (updated) => {
      queryClient.setQueryData(["lead", String(lead.id)], updated);
      void queryClient.invalidateQueries({ queryKey: ["lead", String(lead.id), "timeline"] });
      void queryClient.invalidateQueries({ queryKey: ["leads"] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t("leadEdit.name")} value={form.name} onChange={(e) => set("name")(e.currentTarget.value)} />
          <TextInput label={t("leadEdit.email")} type="email" value={form.email} onChange={(e) => set("email")(e.currentTarget.value)} />
          <Select
            label={t("leadEdit.language")}
            value={form.language}
            onChange={(v) => set("language")(v ?? "")}
            allowDeselect={false}
            data={[
              { value: "", label: t("leadEdit.unknownLanguage") },
              { value: "en", label: t("languages.en") },
              { value: "hi", label: t("languages.hi") },
            ]}
          />
          <Select
            label={t("leadEdit.status")}
            value={form.status}
            onChange={(v) => set("status")(v ?? "new")}
            allowDeselect={false}
            data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
          <TextInput label={t("leadEdit.city")} value={form.city} onChange={(e) => set("city")(e.currentTarget.value)} />
          <TextInput label={t("leadEdit.state")} value={form.state} onChange={(e) => set("state")(e.currentTarget.value)} />
          <TextInput
            label={t("leadEdit.timeZone")}
            placeholder="Asia/Kolkata"
            value={form.time_zone}
            onChange={(e) => set("time_zone")(e.currentTarget.value)}
          />
          <TagsInput label={t("leadEdit.tags")} value={form.tags} onChange={(tags) => setForm((f) => ({ ...f, tags }))} />
        </SimpleGrid>
        {save.isError && <Failed error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>{t("common.cancel")}</Button>
          <Button type="submit" loading={save.isPending}>{t("leadEdit.save")}</Button>
        </Group>
      </Stack>
    </form>
  );
}
