import { SegmentedControl } from "@mantine/core";
import { useTranslation } from "react-i18next";

// English or Hindi for the whole interface; i18n.ts keeps the choice in this browser.
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      aria-label={t("nav.language")}
      size="xs"
      value={i18n.language}
      onChange={(lng) => void i18n.changeLanguage(lng)}
      data={[
        { value: "en", label: "English" },
        { value: "hi", label: "हिन्दी" },
      ]}
    />
  );
}
