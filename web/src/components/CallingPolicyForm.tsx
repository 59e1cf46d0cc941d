import { useEffect, useState } from "react";
import { Button, Checkbox, Group, MultiSelect, NumberInput, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get, put } from "../api/client";
import type { Setting } from "../api/types";
import { Failed } from "./States";

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export interface CallingWindow {
  start: string;
  end: string;
  days: string[];
  skip_holidays: boolean;
}
export interface AttemptPolicy {
  max_per_day: number;
  max_per_campaign: number;
  min_gap_hours: number;
  stop_after_refusal: boolean;
}
export const BUILT_IN_WINDOW: CallingWindow = { start: "10:00", end: "21:00", days: [...DAYS], skip_holidays: true };
export const BUILT_IN_ATTEMPTS: AttemptPolicy = { max_per_day: 1, max_per_campaign: 3, min_gap_hours: 24, stop_after_refusal: true };

// The business's calling-policy defaults (settings "calling.window" and "calling.attempts"),
// which new campaigns start with; undefined until loaded or where none is stored.
export function useCallingDefaults() {
  const settings = useQuery({ queryKey: ["settings"], queryFn: () => get<{ items: Setting[] }>("/settings") });
  const find = (key: string) => settings.data?.items.find((s) => s.key === key)?.value;
  return {
    loaded: settings.isSuccess || settings.isError,
    window: find("calling.window") as CallingWindow | undefined,
    attempts: find("calling.attempts") as AttemptPolicy | undefined,
  };
}

// Edits the defaults; the server checks them as it checks a campaign's window and attempts.
export function CallingPolicyForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const defaults = useCallingDefaults();
  const [hours, setHours] = useState<CallingWindow>(BUILT_IN_WINDOW);
  const [attempts, setAttempts] = useState<AttemptPolicy>(BUILT_IN_ATTEMPTS);
  useEffect(() => {
    if (defaults.window) setHours({ ...BUILT_IN_WINDOW, ...defaults.window });
    if (defaults.attempts) setAttempts({ ...BUILT_IN_ATTEMPTS, ...defaults.attempts });
  }, [defaults.window, defaults.attempts]);
  const save = useMutation({
    mutationFn: async () => {
      await put("/settings/calling.window", { value: hours });
      await put("/settings/calling.attempts", { value: attempts });
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["settings"] }),
  });
  return (
    <Stack>
      <Text size="sm" c="dimmed">{t("policy.intro")}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Group grow>
          <TextInput label={t("policy.start")} value={hours.start} onChange={(e) => setHours({ ...hours, start: e.currentTarget.value })} />
          <TextInput label={t("policy.end")} value={hours.end} onChange={(e) => setHours({ ...hours, end: e.currentTarget.value })} />
        </Group>
        <MultiSelect
          label={t("wizard.days")}
          value={hours.days}
          onChange={(days) => setHours({ ...hours, days })}
          data={DAYS.map((d) => ({ value: d, label: t(`wizard.day.${d}`) }))}
        />
        <NumberInput label={t("wizard.perDay")} min={1} max={10} value={attempts.max_per_day} onChange={(v) => setAttempts({ ...attempts, max_per_day: Number(v) })} />
        <NumberInput label={t("policy.perCampaign")} min={1} max={20} value={attempts.max_per_campaign} onChange={(v) => setAttempts({ ...attempts, max_per_campaign: Number(v) })} />
        <NumberInput label={t("wizard.gap")} min={0} max={720} value={attempts.min_gap_hours} onChange={(v) => setAttempts({ ...attempts, min_gap_hours: Number(v) })} />
        <Stack gap="xs" mt="md">
          <Checkbox label={t("wizard.skipHolidays")} checked={hours.skip_holidays} onChange={(e) => setHours({ ...hours, skip_holidays: e.currentTarget.checked })} />
          <Checkbox label={t("wizard.stopAfterRefusal")} checked={attempts.stop_after_refusal} onChange={(e) => setAttempts({ ...attempts, stop_after_refusal: e.currentTarget.checked })} />
        </Stack>
      </SimpleGrid>
      {save.isError && <Failed error={save.error} />}
      {save.isSuccess && <Text size="sm" data-testid="policy-saved">{t("policy.saved")}</Text>}
      <Group>
        <Button onClick={() => save.mutate()} loading={save.isPending}>{t("policy.save")}</Button>
      </Group>
    </Stack>
  );
}
