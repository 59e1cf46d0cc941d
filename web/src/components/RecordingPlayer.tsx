import { useEffect, useState } from "react";
import { Group, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { fetchBlob, get } from "../api/client";
import type { Recording } from "../api/types";

// Recordings need the access token, which an <audio src> cannot send: the media is
// fetched with it and played from a blob URL that is revoked when the player goes.
function Player({ recording }: { recording: Recording }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    fetchBlob(`/recordings/${recording.id}/media`)
      .then((blob) => {
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch((e) => setError(String(e.message ?? e)));
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [recording.id]);
  if (error) return <Text c="red" size="sm">{error}</Text>;
  if (!url) return <Text size="sm" c="dimmed">…</Text>;
  return <audio controls src={url} data-testid="recording-audio" aria-label={`recording ${recording.id}`} />;
}

export function RecordingPlayer({ attemptId }: { attemptId: number }) {
  const { t } = useTranslation();
  const recordings = useQuery({
    queryKey: ["recordings", attemptId],
    queryFn: () => get<{ items: Recording[] }>(`/calls/${attemptId}/recordings`),
  });
  const stored = (recordings.data?.items ?? []).filter((r) => r.state === "stored");
  if (!stored.length) return null;
  return (
    <>
      {stored.map((r) => (
        <Group key={r.id} gap="sm" mb="xs">
          <Text size="sm">
            {t("lead.call", { id: attemptId })} · {r.duration_seconds ?? 0}s
          </Text>
          <Player recording={r} />
        </Group>
      ))}
    </>
  );
}
