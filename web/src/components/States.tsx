import { Alert, Center, Loader, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

// The three states every view has besides its data.
export function Loading() {
  const { t } = useTranslation();
  return (
    <Center p="xl">
      <Loader aria-label={t("state.loading")} />
    </Center>
  );
}

export function Failed({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" title={t("state.error")} role="alert">
      {message}
    </Alert>
  );
}

export function Empty({ text }: { text?: string }) {
  const { t } = useTranslation();
  return (
    <Text c="dimmed" p="md" ta="center">
      {text ?? t("state.empty")}
    </Text>
  );
}
