import localFont from 'next/font/local';
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { THEME_COOKIE, themeClass } from '@/components/shell/theme';
import { TRPCReactProvider } from '@/trpc/react';
import './globals.css';

// Bundled from @fontsource-variable/inter: the machine has no route to Google Fonts.
const inter = localFont({
  src: '../../../../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2',
  variable: '--font-inter',
  display: 'swap',
});

export const metadata: Metadata = {
  title: { default: 'DTSS', template: '%s · DTSS' },
  description: 'Distributed task scheduling: define, schedule, execute and watch workflows.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The theme is rendered on the server from the cookie, so a chosen theme never flashes.
  const theme = (await cookies()).get(THEME_COOKIE)?.value;
  return (
    <html lang="en" className={`${inter.variable} ${themeClass(theme)}`} suppressHydrationWarning>
      <body className="antialiased">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
