// One colour per workflow in the calendar: hues spread by the golden angle, so neighbours in the
// list never look alike. Mid lightness and chroma read on both themes' panels; the colour only
// marks a chip's edge and swatch (the text stays in the theme's colours, and names say it too).

export function workflowColors(workflowIds: readonly string[]): Map<string, string> {
  const unique = [...new Set(workflowIds)];
  return new Map(
    unique.map((id, i) => [id, `oklch(0.64 0.15 ${Math.round((215 + i * 137.508) % 360)})`]),
  );
}
