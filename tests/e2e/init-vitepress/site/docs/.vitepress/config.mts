import { defineConfig } from 'vitepress'

export default defineConfig({
  title: "Kestrel Security",
  description: "Information security policies of Kestrel Logistics",
  base: '/policies/',
  themeConfig: {
    sidebar: [{ text: 'Policies', items: [{ text: 'Access', link: '/policies/access-control' }] }]
  }
})
