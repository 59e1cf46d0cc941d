import { useState } from "react";
import {
  Alert, Badge, Button, Card, FileInput, Group, List, Paper, Progress, ScrollArea, Select, SimpleGrid,
  Stack, Stepper, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { downloadFile, get, request, withQuery } from "../api/client";
import type { ImportJob, ImportPreview } from "../api/types";
import { Failed } from "../components/States";

const FIELDS = ["phone", "name", "email", "language", "city", "state", "time_zone", "tags", "notes"];

function mapParams(mapping: Record<string, string>): string[] {
  return Object.entries(mapping)
    .filter(([, column]) => column)
    .map(([field, column]) => `${field}=${column}`);
}

const downloadReport = (job: ImportJob) => downloadFile(`/imports/${job.id}/report`, `import-${job.id}-errors.csv`);

// Upload → detected format and mapping with a preview (the mapping can be changed and
// previewed again) → the import runs in the background with its progress → the summary
// and the rows that were refused, as a file.
export default function ImportWizardPage() {
  const { t } = useTranslation();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [list, setList] = useState("");
  const [jobId, setJobId] = useState<number | null>(null);

  const preview = useMutation({
    mutationFn: (map: Record<string, string>) =>
      request<ImportPreview>("POST", withQuery("/imports/preview", { map: mapParams(map) }), file!),
    onSuccess: (p) => {
      setMapping((p.mapping as Record<string, string>) ?? {});
      setStep(1);
    },
  });
  const start = useMutation({
    mutationFn: () =>
      request<ImportJob>(
        "POST",
        withQuery("/imports", { file_name: file!.name, list: list || undefined, map: mapParams(mapping) }),
        file!,
      ),
    onSuccess: (job) => {
      setJobId(job.id);
      setStep(2);
    },
  });
  // The live feed also refreshes ["imports"]; the interval is the fallback while it runs.
  const job = useQuery({
    queryKey: ["imports", jobId],
    queryFn: () => get<ImportJob>(`/imports/${jobId}`),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data?.status === "running" ? 1000 : false),
  });
  const p = preview.data;
  const j = job.data;
  const headers = p?.headers ?? [];

  return (
    <Stack>
      <Title order={2}>{t("import.title")}</Title>
      <Stepper active={step} onStepClick={(s) => s < step && setStep(s)} size="sm">
        <Stepper.Step label={t("import.upload")}>
          <Card withBorder mt="md">
            <Stack>
              <FileInput
                label={t("import.file")}
                placeholder={t("import.choose")}
                accept=".csv,.tsv,.txt,.xlsx"
                value={file}
                onChange={setFile}
                data-testid="import-file"
              />
              <Button onClick={() => preview.mutate({})} disabled={!file} loading={preview.isPending} w={200}>
                {t("import.previewButton")}
              </Button>
              {preview.isError && <Failed error={preview.error} />}
            </Stack>
          </Card>
        </Stepper.Step>
        <Stepper.Step label={t("import.mapping")}>
          {p && (
            <Stack mt="md">
              <Group gap="xs">
                <Badge variant="light">{t("import.format")}: {p.format}</Badge>
                <Badge variant="light">{t("import.encoding")}: {p.encoding}</Badge>
                {p.delimiter && <Badge variant="light">{t("import.delimiter")}: {JSON.stringify(p.delimiter)}</Badge>}
              </Group>
              {(p.warnings ?? []).length > 0 && (
                <Alert color="orange">
                  <List size="sm">{p.warnings!.map((w) => <List.Item key={w}>{w}</List.Item>)}</List>
                </Alert>
              )}
              <SimpleGrid cols={{ base: 2, md: 3, lg: 5 }}>
                {FIELDS.map((field) => (
                  <Select
                    key={field}
                    label={t(`import.field.${field}`, field)}
                    clearable
                    value={mapping[field] ?? null}
                    onChange={(v) => setMapping({ ...mapping, [field]: v ?? "" })}
                    data={headers}
                  />
                ))}
              </SimpleGrid>
              <Paper withBorder>
                <ScrollArea h={260} viewportProps={{ tabIndex: 0 }}>
                  <Table striped aria-label={t("import.previewRows")} data-testid="import-preview">
                    <Table.Thead>
                      <Table.Tr>
                        {Object.keys((p.rows ?? [])[0] ?? {}).map((k) => <Table.Th key={k}>{k}</Table.Th>)}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {(p.rows ?? []).map((row, i) => (
                        <Table.Tr key={i}>
                          {Object.values(row as Record<string, unknown>).map((v, k) => (
                            <Table.Td key={k}>{typeof v === "object" ? JSON.stringify(v) : String(v ?? "")}</Table.Td>
                          ))}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea>
              </Paper>
              <Group align="flex-end">
                <TextInput label={t("import.list")} value={list} onChange={(e) => setList(e.currentTarget.value)} />
                <Button variant="default" onClick={() => preview.mutate(mapping)} loading={preview.isPending}>
                  {t("import.previewAgain")}
                </Button>
                <Button onClick={() => start.mutate()} loading={start.isPending}>
                  {t("import.run")}
                </Button>
              </Group>
              {start.isError && <Failed error={start.error} />}
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label={t("import.progress")}>
          {j && (
            <Card withBorder mt="md">
              <Stack>
                <Group justify="space-between">
                  <Text fw={600}>{j.file_name}</Text>
                  <Badge data-testid="import-status">{t(`import.status.${j.status}`, j.status)}</Badge>
                </Group>
                <Progress value={Math.round((j.progress?.fraction ?? (j.status === "running" ? 0 : 1)) * 100)} aria-label={t("import.progress")} />
                {j.status !== "running" && (
                  <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="import-summary">
                    {Object.entries(j.summary ?? {}).map(([k, v]) => (
                      <Card withBorder key={k}>
                        <Text size="xs" c="dimmed">{t(`import.summary.${k}`, k)}</Text>
                        <Text fw={700}>{String(v)}</Text>
                      </Card>
                    ))}
                  </SimpleGrid>
                )}
                {j.error && <Alert color="red">{j.error}</Alert>}
                {j.status !== "running" && j.report_url && (
                  <Button variant="light" onClick={() => void downloadReport(j)} w={260}>
                    {t("import.report")}
                  </Button>
                )}
              </Stack>
            </Card>
          )}
        </Stepper.Step>
      </Stepper>
    </Stack>
  );
}
