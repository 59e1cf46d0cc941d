import { Select } from "@mantine/core";

// English or Hindi for what the product says or writes (a test call's opening, an
// export's headings), each named in its own script.
export function ContentLanguageSelect({ label, value, onChange }: { label: string; value: string; onChange: (language: string) => void }) {
  return (
    <Select
      label={label}
      value={value}
      onChange={(v) => onChange(v ?? "en")}
      allowDeselect={false}
      data={[
        { value: "en", label: "English" },
        { value: "hi", label: "हिन्दी" },
      ]}
      w={160}
    />
  );
}
