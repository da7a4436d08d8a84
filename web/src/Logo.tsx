// The platform mark: a cloud over a government-seal gold bar.
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="12" fill="#1456b8" />
      <path
        d="M14 40c0-8 6-14 14-14 2-6 8-10 14-10 8 0 14 6 14 14v1c0 5-4 9-9 9H18c-2 0-4-2-4-4z"
        fill="#ffffff"
        opacity="0.94"
      />
      <rect x="22" y="44" width="20" height="6" rx="2" fill="#e6b422" />
    </svg>
  );
}
