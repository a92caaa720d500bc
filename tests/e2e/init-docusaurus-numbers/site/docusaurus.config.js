module.exports = { title: 'Osprey Policies' };
