// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
	site: 'https://policies.acme.example',
	base: '/security',
	integrations: [
		starlight({
			// title: 'Acme Policies (old)',
			head: [{ tag: 'meta', attrs: { name: 'robots', title: 'not the title' } }],
			title: 'Acme Security Policies',
			description: 'The information security policies of Acme Ltd.',
			social: [{ icon: 'github', label: 'GitHub', href: 'https://github.com/acme/policies' }],
			sidebar: [{ label: 'Policies', autogenerate: { directory: 'policies' } }],
		}),
	],
});
