// Tailwind CSS 4 through PostCSS: everything is compiled at build time, nothing is downloaded.
export default { plugins: { '@tailwindcss/postcss': {} } };
