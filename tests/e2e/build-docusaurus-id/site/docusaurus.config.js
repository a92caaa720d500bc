module.exports = { title: 'Acme Policies', url: 'https://policies.example', baseUrl: '/' };
